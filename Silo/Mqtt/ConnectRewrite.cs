using System.Buffers;
using System.Text;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// An MQTT 3.1/3.1.1 CONNECT with an empty client id and a clean session (what <c>mosquitto_pub</c>
/// sends by default) gets a generated client id, since MQTTnet refuses an empty one under 3.1.1.
/// </summary>
public static class ConnectRewrite
{
    internal enum Outcome { NeedMore, Unchanged, Rewritten }

    internal static Outcome TryRewrite(ReadOnlySequence<byte> buffer, out long consumed, out byte[]? rewritten)
    {
        consumed = 0;
        rewritten = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var type))
        {
            return Outcome.NeedMore;
        }

        if (type != 0x10)
        {
            return Outcome.Unchanged;
        }

        if (!TryReadVarInt(ref reader, out var remaining, out var complete))
        {
            return complete ? Outcome.Unchanged : Outcome.NeedMore;
        }

        var headerLength = reader.Consumed;
        if (reader.Remaining < remaining)
        {
            return Outcome.NeedMore;
        }

        var packet = buffer.Slice(headerLength, remaining).ToArray();
        consumed = headerLength + remaining;

        // Variable header: protocol name, level, flags, keep-alive; then the client id.
        if (packet.Length < 2)
        {
            return Outcome.Unchanged;
        }

        var nameLength = (packet[0] << 8) | packet[1];
        var at = 2 + nameLength;
        if (packet.Length < at + 6)
        {
            return Outcome.Unchanged;
        }

        var level = packet[at];
        var cleanSession = (packet[at + 1] & 0x02) != 0;
        var idAt = at + 4;
        var idLength = (packet[idAt] << 8) | packet[idAt + 1];
        if (level is not (3 or 4) || idLength != 0 || !cleanSession)
        {
            return Outcome.Unchanged;
        }

        var id = Encoding.ASCII.GetBytes("sp-" + Guid.NewGuid().ToString("N")[..20]);
        var body = new byte[packet.Length + id.Length];
        packet.AsSpan(0, idAt).CopyTo(body);
        body[idAt] = (byte)(id.Length >> 8);
        body[idAt + 1] = (byte)id.Length;
        id.CopyTo(body.AsSpan(idAt + 2));
        packet.AsSpan(idAt + 2).CopyTo(body.AsSpan(idAt + 2 + id.Length));

        var output = new List<byte> { 0x10 };
        WriteVarInt(output, body.Length);
        output.AddRange(body);
        rewritten = [.. output];
        return Outcome.Rewritten;
    }

    private static bool TryReadVarInt(ref SequenceReader<byte> reader, out int value, out bool complete)
    {
        value = 0;
        complete = false;
        for (var i = 0; i < 4; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }

            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        complete = true; // malformed: more than four length bytes
        return false;
    }

    private static void WriteVarInt(List<byte> output, int value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            output.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
    }
}
