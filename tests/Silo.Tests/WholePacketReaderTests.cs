using System.Buffers;
using System.IO.Pipelines;
using SafetyPatrol.Silo.Mqtt;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The framing under MQTTnet, read the way MQTTnet reads: one packet at a time.</summary>
public sealed class WholePacketReaderTests
{
    [Fact]
    public async Task PacketsWrittenInAnyPiecesComeOutWholeInOrderAndATruncatedLastOneEndsTheConnection()
    {
        var random = new Random(7);
        var packets = Enumerable.Range(0, 500).Select(i => Packet(random.Next(0, 300), (byte)i)).ToList();
        var bytes = packets.SelectMany(p => p).Concat(Packet(50, 0xEE).Take(20)).ToArray();
        var pipe = new Pipe();
        var broken = 0;
        var reader = new WholePacketReader(pipe.Reader, 64 * 1024, () => broken++);

        var writing = Task.Run(async () =>
        {
            for (var at = 0; at < bytes.Length;)
            {
                var piece = Math.Min(random.Next(1, 700), bytes.Length - at);
                await pipe.Writer.WriteAsync(bytes.AsMemory(at, piece));
                at += piece;
            }

            await pipe.Writer.CompleteAsync();
        });

        List<byte[]> received = [];
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.Buffer.IsEmpty && result.IsCompleted)
            {
                reader.AdvanceTo(result.Buffer.End);
                break;
            }

            // One packet, then stop, as MQTTnet's adapter does.
            var length = WholePacketReader.WholePackets(result.Buffer, 64 * 1024);
            var first = FirstPacketLength(result.Buffer);
            Assert.True(first <= length);
            received.Add(result.Buffer.Slice(0, first).ToArray());
            var end = result.Buffer.GetPosition(first);
            reader.AdvanceTo(end, end);
        }

        await writing;
        Assert.Equal(packets.Count, received.Count);
        Assert.All(packets.Zip(received), pair => Assert.Equal(pair.First, pair.Second));
        Assert.Equal((1, "the connection ended in the middle of a packet"), (broken, reader.Broken));
    }

    private static byte[] Packet(int length, byte fill)
    {
        List<byte> packet = [0x30];
        var rest = length;
        do
        {
            var b = (byte)(rest & 0x7F);
            rest >>= 7;
            packet.Add(rest > 0 ? (byte)(b | 0x80) : b);
        }
        while (rest > 0);

        packet.AddRange(Enumerable.Repeat(fill, length));
        return [.. packet];
    }

    private static long FirstPacketLength(ReadOnlySequence<byte> buffer)
    {
        var bytes = buffer.Slice(0, Math.Min(5, buffer.Length)).ToArray();
        int length = 0, i = 1;
        for (var shift = 0; ; shift += 7, i++)
        {
            length |= (bytes[i] & 0x7F) << shift;
            if ((bytes[i] & 0x80) == 0)
            {
                break;
            }
        }

        return i + 1 + length;
    }
}
