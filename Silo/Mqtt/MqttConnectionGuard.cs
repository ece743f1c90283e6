using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// Kestrel connection middleware ahead of MQTTnet. It caps connections per client address, ends a
/// connection that has not sent a whole CONNECT within the deadline (or sends anything else first),
/// hands MQTTnet only whole packets (<see cref="WholePacketReader"/>), and gives 3.1.1 clients with an
/// empty client id one of their own (<see cref="ConnectRewrite"/>).
/// </summary>
/// <remarks>Its deadlines are network time, on the host's clock, not the site clock.</remarks>
public sealed partial class MqttConnectionGuard(
    IOptions<SafetyPatrolOptions> options,
    IngestionCounters counters,
    TimeProvider time,
    ILogger<MqttConnectionGuard> logger)
{
    /// <summary>Room for a 16 KiB telemetry payload with a long topic and MQTT 5 properties; more ends the connection.</summary>
    public const int MaxPacketBytes = 256 * 1024;

    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private readonly LogThrottle _throttle = new(time, TimeSpan.FromMinutes(1));
    private readonly MqttOptions _settings = options.Value.Mqtt;

    public async Task Handle(ConnectionContext connection, ConnectionDelegate next)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (!TryEnter(address))
        {
            Closed(ClosedReason.AddressLimit, address);
            connection.Abort();
            return;
        }

        var framed = new WholePacketReader(connection.Transport.Input, MaxPacketBytes, () => Closed(ClosedReason.BrokenPacket, address));
        try
        {
            connection.Transport = new DuplexPipe(framed, connection.Transport.Output);
            if (!await TakeConnect(connection, framed))
            {
                if (framed.Broken is null)
                {
                    Closed(ClosedReason.NoConnect, address);
                }

                connection.Abort();
                return;
            }

            await next(connection);
        }
        finally
        {
            Leave(address);
        }
    }

    /// <summary>Waits for the first whole packet; true when it is a CONNECT, rewritten where needed and left for MQTTnet.</summary>
    private async Task<bool> TakeConnect(ConnectionContext connection, WholePacketReader framed)
    {
        // Only the deadline cancels: a client that closes makes the read complete, with what it sent before.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_settings.ConnectTimeoutSeconds), time);
        ReadResult first;
        try
        {
            first = await framed.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        var buffer = first.Buffer;
        if (buffer.IsEmpty || buffer.FirstSpan[0] != 0x10)
        {
            framed.AdvanceTo(buffer.End);
            return false;
        }

        if (ConnectRewrite.TryRewrite(buffer, out var consumed, out var rewritten) != ConnectRewrite.Outcome.Rewritten)
        {
            framed.AdvanceTo(buffer.Start);
            return true;
        }

        framed.AdvanceTo(buffer.GetPosition(consumed));
        var pipe = new Pipe();
        _ = Pump(rewritten!, framed, pipe.Writer);
        connection.Transport = new DuplexPipe(pipe.Reader, connection.Transport.Output);
        return true;
    }

    private bool TryEnter(IPAddress address)
    {
        var count = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        if (count <= _settings.MaxConnectionsPerAddress)
        {
            return true;
        }

        Leave(address);
        return false;
    }

    private void Leave(IPAddress address)
    {
        if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
        {
            _perAddress.TryRemove(KeyValuePair.Create(address, 0));
        }
    }

    private void Closed(ClosedReason reason, IPAddress address)
    {
        counters.Closed(reason);
        if (_throttle.TryEnter(out var skipped))
        {
            LogClosed(address, reason, skipped);
        }
    }

    private static async Task Pump(byte[] first, PipeReader input, PipeWriter output)
    {
        try
        {
            await output.WriteAsync(first);
            await input.CopyToAsync(output);
            await output.CompleteAsync();
        }
        catch (Exception ex)
        {
            await output.CompleteAsync(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection from {Address} closed: {Reason} ({Skipped} more closed since the last such line)")]
    private partial void LogClosed(IPAddress address, ClosedReason reason, long skipped);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

public enum ClosedReason
{
    /// <summary>No whole CONNECT within the deadline, or another packet first.</summary>
    NoConnect,

    /// <summary>Ended in the middle of a packet, or a packet too long or malformed.</summary>
    BrokenPacket,

    /// <summary>Too many connections from one address.</summary>
    AddressLimit,
}
