using System.Buffers;
using System.IO.Pipelines;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// Hands MQTTnet only whole MQTT packets, without copying. MQTTnet's Kestrel adapter loops at full
/// speed when a connection ends in the middle of a packet (dotnet/MQTTnet #788, #953): here such a
/// connection ends cleanly at the last whole packet instead, and a packet longer than the limit or
/// with a malformed length ends it at once. <see cref="Broken"/> then says why, and
/// <paramref name="onBroken"/> is told as it happens, before the connection closes.
/// </summary>
public sealed class WholePacketReader(PipeReader inner, int maxPacketBytes, Action onBroken) : PipeReader
{
    // What the last read of the inner reader ended at, and where the part handed out ended.
    private SequencePosition _innerEnd;
    private SequencePosition _givenEnd;

    // MQTTnet takes one packet per read: the whole packets already found are remembered, so each
    // byte is scanned once rather than the rest of the buffer again on every read.
    private ReadOnlySequence<byte> _lastBuffer;
    private long _lastWhole;
    private long _knownWhole;

    /// <summary>Why the connection was ended early, if it was.</summary>
    public string? Broken { get; private set; }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await inner.ReadAsync(cancellationToken);
            if (Frame(result, out var framed))
            {
                return framed;
            }
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        while (inner.TryRead(out var read))
        {
            if (Frame(read, out result))
            {
                return true;
            }
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _knownWhole = Math.Max(0, _lastWhole - _lastBuffer.Slice(_lastBuffer.Start, consumed).Length);

        // Having examined all it was given, the reader has seen all there is: the rest is not a whole packet yet.
        inner.AdvanceTo(consumed, examined.Equals(_givenEnd) ? _innerEnd : examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <summary>The length of the leading run of whole packets, or -1 when a packet is malformed or too long.</summary>
    public static long WholePackets(ReadOnlySequence<byte> buffer, int maxPacketBytes)
    {
        var reader = new SequenceReader<byte>(buffer);
        long whole = 0;
        while (reader.TryRead(out _))
        {
            var length = 0;
            var lengthBytes = 0;
            byte next;
            do
            {
                if (!reader.TryRead(out next))
                {
                    return whole;
                }

                length |= (next & 0x7F) << (7 * lengthBytes);
                lengthBytes++;
            }
            while ((next & 0x80) != 0 && lengthBytes < 4);

            if ((next & 0x80) != 0 || length > maxPacketBytes)
            {
                return -1;
            }

            if (reader.Remaining < length)
            {
                return whole;
            }

            reader.Advance(length);
            whole = reader.Consumed;
        }

        return whole;
    }

    private bool Frame(ReadResult result, out ReadResult framed)
    {
        var buffer = result.Buffer;
        var known = Math.Min(_knownWhole, buffer.Length);
        var more = Broken is null ? WholePackets(buffer.Slice(known), maxPacketBytes) : -1;
        var whole = more < 0 ? -1 : known + more;
        (_lastBuffer, _lastWhole) = (buffer, Math.Max(0, whole));
        if (whole < 0)
        {
            Break("a packet longer than the limit or with a malformed length");
        }
        else if (whole > 0)
        {
            var packets = buffer.Slice(0, whole);
            (_innerEnd, _givenEnd) = (buffer.End, packets.End);
            framed = new ReadResult(packets, result.IsCanceled, result.IsCompleted && whole == buffer.Length);
            return true;
        }
        else if (!result.IsCompleted && !result.IsCanceled)
        {
            inner.AdvanceTo(buffer.Start, buffer.End);
            framed = default;
            return false;
        }
        else if (result.IsCompleted && !buffer.IsEmpty)
        {
            Break("the connection ended in the middle of a packet");
        }

        // Nothing whole to hand out: the connection is over (or the read was cancelled), and says so with nothing in it.
        var rest = buffer.Slice(buffer.End);
        (_innerEnd, _givenEnd) = (buffer.End, rest.End);
        framed = new ReadResult(rest, result.IsCanceled, !result.IsCanceled || Broken is not null);
        return true;
    }

    private void Break(string why)
    {
        if (Broken is null)
        {
            Broken = why;
            onBroken();
        }
    }
}
