using System.Collections.Concurrent;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// One MQTT connection per device, publishing telemetry at a share of the total rate. With several
/// brokers (the nodes of a cluster), devices are spread over them in turn, and a device whose node is
/// gone connects to the next one, as it would through a TCP load balancer. With <paramref name="doorTraffic"/> door
/// contacts open and close with each reading instead of staying shut.
/// </summary>
/// <remarks>
/// Each device begins at a random point of its period, as devices on clocks of their own do. <paramref name="inStep"/>
/// starts them together, as until 2026-12-05: then every device of a run sends within the same few milliseconds of each
/// period (at 2,000 devices of 10 a second, 2,000 readings at once every 100 ms), the burst of a fleet powered on at once.
/// </remarks>
public sealed class DeviceFleet(IReadOnlyList<Broker> brokers, RunMetrics metrics, int seed, int qos = 1, bool doorTraffic = false, bool inStep = false)
    : IAsyncDisposable
{
    private const int InFlightPerConnection = 16;
    private const int ConnectAttempts = 10;
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(1);

    private readonly MqttClientFactory _factory = new();
    private readonly List<SimulatedDevice> _devices = [];

    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    public async Task Connect(IEnumerable<DeviceDefinition> devices, CancellationToken cancellationToken)
    {
        var index = 0;
        foreach (var chunk in devices.Chunk(50))
        {
            var connected = await Task.WhenAll(chunk.Select(async d =>
            {
                var device = new SimulatedDevice(d, _factory.CreateMqttClient(), index++ % brokers.Count);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var result = await device.Client.ConnectAsync(Options(device), cancellationToken);
                        if (result.ResultCode != MqttClientConnectResultCode.Success)
                        {
                            throw new InvalidOperationException($"{brokers[device.Broker]} refused {d.Id}: {result.ResultCode}");
                        }

                        return device;
                    }
                    catch (Exception ex) when (ex is MqttCommunicationException or MQTTnet.Adapter.MqttConnectingFailedException && attempt < ConnectAttempts)
                    {
                        // A busy or starting node dropped the connection: try again, on the next node if there are several.
                        device.Client.Dispose();
                        device.Client = _factory.CreateMqttClient();
                        device.Broker = (device.Broker + 1) % brokers.Count;
                        await Task.Delay(ReconnectAfter, cancellationToken);
                    }
                }
            }));
            _devices.AddRange(connected);
        }
    }

    private MqttClientOptions Options(SimulatedDevice device) => new MqttClientOptionsBuilder()
        .WithTcpServer(brokers[device.Broker].Host, brokers[device.Broker].Port)
        .WithCredentials(device.Definition.Id, device.Definition.Secret)
        .WithClientId($"sim-{device.Definition.Id}")
        .WithCleanSession()
        .WithTimeout(TimeSpan.FromSeconds(30))
        .Build();

    /// <summary>The device's node is gone: it connects to the next broker in turn, as often as it takes.</summary>
    private async Task Reconnect(SimulatedDevice device, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            device.Broker = (device.Broker + 1) % brokers.Count;
            var client = _factory.CreateMqttClient();
            try
            {
                if ((await client.ConnectAsync(Options(device), cancellationToken)).ResultCode == MqttClientConnectResultCode.Success)
                {
                    var old = device.Client;
                    device.Client = client;
                    old.Dispose();
                    metrics.Reconnected();
                    Volatile.Write(ref device.Moved, 1);
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // That node is gone too, or busy: the next one, after a pause.
            }

            client.Dispose();
            await Task.Delay(ReconnectAfter, cancellationToken);
        }
    }

    /// <summary>Publishes until cancelled; <paramref name="rate"/> messages a second in all (0: as fast as acknowledged).</summary>
    public Task Run(double rate, CancellationToken cancellationToken) =>
        Task.WhenAll(_devices.Select((d, i) => Task.Run(() => Publish(d, rate / _devices.Count, new Random(seed + i), cancellationToken), CancellationToken.None)));

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices)
        {
            try
            {
                await device.Client.DisconnectAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Already gone: nothing to close.
            }

            device.Client.Dispose();
        }
    }

    private async Task Publish(SimulatedDevice device, double rate, Random random, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(InFlightPerConnection);
        var topic = $"devices/{device.Definition.Id}/telemetry";
        try
        {
            if (rate > 0 && !inStep)
            {
                await Task.Delay(TimeSpan.FromSeconds(random.NextDouble() / rate), cancellationToken);
            }

            var clock = Stopwatch.StartNew();
            long sent = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (rate > 0)
                {
                    var wait = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, cancellationToken);
                    }
                }

                if (!device.Client.IsConnected)
                {
                    // Whatever was in flight failed without an acknowledgement; wait for it, then move on.
                    for (var i = 0; i < InFlightPerConnection; i++)
                    {
                        await window.WaitAsync(cancellationToken);
                    }

                    window.Release(InFlightPerConnection);
                    await Reconnect(device, cancellationToken);
                    continue;
                }

                if (device.Silenced)
                {
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                await window.WaitAsync(cancellationToken);
                byte[] payload;
                if (device.Override is null && device.Next.TryDequeue(out var next))
                {
                    payload = next.Payload;
                    next.Sent?.Invoke(DateTimeOffset.UtcNow);
                }
                else
                {
                    payload = device.Override ?? Telemetry.Normal(device.Definition.Model, random, sent, doorTraffic);
                }

                sent++;
                metrics.Published();
                _ = Send(device, topic, payload).ContinueWith(_ => window.Release(), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Send(SimulatedDevice device, string topic, byte[] payload)
    {
        try
        {
            await device.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce).Build());
            device.LastAcknowledged = DateTimeOffset.UtcNow;
            metrics.Acked();
            if (Interlocked.Exchange(ref device.Moved, 0) == 1)
            {
                metrics.MovedAcknowledged(device.LastAcknowledged);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            metrics.PublishFailed();
        }
    }
}

/// <summary>A connected device; faults take it over by overriding or silencing its telemetry.</summary>
public sealed class SimulatedDevice(DeviceDefinition definition, IMqttClient client, int broker)
{
    public DeviceDefinition Definition { get; } = definition;

    /// <summary>Its connection; replaced when it moves to another node.</summary>
    public volatile IMqttClient Client = client;

    /// <summary>Which of the fleet's brokers it is connected to.</summary>
    public int Broker { get; set; } = broker;

    public volatile byte[]? Override;

    public volatile bool Silenced;

    /// <summary>1 from its move to another node until a reading is acknowledged there.</summary>
    public int Moved;

    /// <summary>Readings sent before the next normal one (a latency marker and its return to normal).</summary>
    public ConcurrentQueue<NextReading> Next { get; } = new();

    public DateTimeOffset LastAcknowledged { get; set; } = DateTimeOffset.UtcNow;

    public bool InFault => Override is not null || Silenced;

    /// <summary>Publishes one reading now, outside its paced run (a fault, its end, a marker left over), at QoS 1.</summary>
    public Task PublishNow(byte[] payload, CancellationToken cancellationToken = default) =>
        Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{Definition.Id}/telemetry")
            .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
}

/// <summary>An MQTT endpoint: one node of the system, or the bare broker.</summary>
public sealed record Broker(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>, or several separated by commas; null when the text is not that.</summary>
    public static IReadOnlyList<Broker>? ParseList(string text)
    {
        List<Broker> brokers = [];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                return null;
            }

            brokers.Add(new Broker(part[..colon], port));
        }

        return brokers.Count > 0 ? brokers : null;
    }

    public override string ToString() => $"{Host}:{Port}";
}
