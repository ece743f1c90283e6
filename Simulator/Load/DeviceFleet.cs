using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>One MQTT connection per device, publishing telemetry at a share of the total rate.</summary>
public sealed class DeviceFleet(string host, int port, RunMetrics metrics, int seed, int qos = 1) : IAsyncDisposable
{
    private const int InFlightPerConnection = 16;

    private readonly List<SimulatedDevice> _devices = [];

    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    public async Task Connect(IEnumerable<DeviceDefinition> devices, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        foreach (var chunk in devices.Chunk(50))
        {
            var connected = await Task.WhenAll(chunk.Select(async d =>
            {
                var client = factory.CreateMqttClient();
                var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                    .WithTcpServer(host, port)
                    .WithCredentials(d.Id, d.Secret)
                    .WithClientId($"sim-{d.Id}")
                    .WithCleanSession()
                    .WithTimeout(TimeSpan.FromSeconds(30))
                    .Build(), cancellationToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"The broker refused {d.Id}: {result.ResultCode}");
                }

                return new SimulatedDevice(d, client);
            }));
            _devices.AddRange(connected);
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
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var topic = $"devices/{device.Definition.Id}/telemetry";
        try
        {
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

                if (device.Silenced)
                {
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                await window.WaitAsync(cancellationToken);
                var payload = device.Override ?? Telemetry.Normal(device.Definition.Model, random);
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
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            metrics.PublishFailed();
        }
    }
}

/// <summary>A connected device; faults take it over by overriding or silencing its telemetry.</summary>
public sealed class SimulatedDevice(DeviceDefinition definition, IMqttClient client)
{
    public DeviceDefinition Definition { get; } = definition;

    public IMqttClient Client { get; } = client;

    public volatile byte[]? Override;

    public volatile bool Silenced;

    public DateTimeOffset LastAcknowledged { get; set; } = DateTimeOffset.UtcNow;

    public bool InFault => Override is not null || Silenced;
}
