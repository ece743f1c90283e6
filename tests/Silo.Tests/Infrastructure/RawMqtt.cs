using System.Net.Sockets;
using System.Text;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>MQTT by hand over a plain socket, for what no well-behaved client sends.</summary>
public sealed class RawMqtt : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public static async Task<RawMqtt> Open(int port)
    {
        var raw = new RawMqtt();
        await raw._socket.ConnectAsync("127.0.0.1", port);
        return raw;
    }

    /// <summary>A whole MQTT 3.1.1 CONNECT with a client id, clean session and credentials.</summary>
    public static byte[] Connect(string username, string password)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0b1100_0010, 0, 60 };
        foreach (var field in new[] { "raw-" + Guid.NewGuid().ToString("N")[..8], username, password })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            body.AddRange([(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);
        }

        List<byte> packet = [0x10];
        for (var length = body.Count; ; length >>= 7)
        {
            packet.Add((byte)((length & 0x7F) | (length > 0x7F ? 0x80 : 0)));
            if (length <= 0x7F)
            {
                break;
            }
        }

        return [.. packet, .. body];
    }

    public async Task Send(params byte[] bytes) => await _socket.SendAsync(bytes.AsMemory(), SocketFlags.None);

    /// <summary>Says this side has finished sending, as a client that closes after a partial packet does.</summary>
    public void FinishSending() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads until the server closes the connection; false if it is still open after <paramref name="within"/>.</summary>
    public async Task<bool> ClosedByServer(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[1024];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // reset by the server: closed too
        }
    }

    public void Dispose() => _socket.Dispose();
}
