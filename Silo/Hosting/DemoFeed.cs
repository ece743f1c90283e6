using System.Buffers;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Silo.Mqtt;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// A bare demo start is calm: until anything publishes over MQTT, the node gives each device of its site a normal
/// reading (<see cref="NormalTelemetry"/>) every minute (or every half of the shortest heartbeat), so no device is
/// called silent just because nothing feeds it yet. It stops for good at the first reading that arrives over MQTT
/// (the simulator, or real devices, took over), so a device the simulator then silences goes offline as it should.
/// </summary>
public sealed partial class DemoFeed(
    IGrainFactory grains,
    SiteCatalog catalog,
    IngestionCounters counters,
    SiteReadiness readiness,
    [FromKeyedServices(AppClock.Key)] TimeProvider time,
    ILogger<DemoFeed> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    // The time of the last round every device has taken, and the next round's completion (replaced when it completes).
    private long _lastFedTicks = DateTimeOffset.MinValue.UtcTicks;
    private volatile TaskCompletionSource _round = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a round of readings stamped at or after <paramref name="at"/> has been taken by every device.</summary>
    public async Task Fed(DateTimeOffset at)
    {
        while (true)
        {
            // The round to wait for is read before the last one's time, so a round completing in between is not missed.
            var next = _round;
            if (Volatile.Read(ref _lastFedTicks) >= at.UtcTicks)
            {
                return;
            }

            await next.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!readiness.Ready)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }

        var random = new Random();
        var shortest = catalog.Devices.Values.Select(d => TimeSpan.FromSeconds(d.Device.HeartbeatSeconds)).DefaultIfEmpty(Every).Min();
        var every = shortest / 2 < Every ? shortest / 2 : Every;
        LogFeeding(catalog.Devices.Count, every.TotalSeconds);
        using var timer = new PeriodicTimer(every < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : every, time);
        do
        {
            if (counters.Snapshot().ReadingsAccepted > 0)
            {
                LogStopped();
                return;
            }

            var now = time.GetUtcNow();
            foreach (var chunk in catalog.Devices.Values.Chunk(200))
            {
                await Task.WhenAll(chunk.Select(entry => Feed(entry.Device.Id, entry.Device.Model, random, now)));
            }

            Volatile.Write(ref _lastFedTicks, now.UtcTicks);
            var fed = _round;
            _round = new(TaskCreationOptions.RunContinuationsAsynchronously);
            fed.SetResult();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task Feed(string deviceId, string? model, Random random, DateTimeOffset now)
    {
        byte[] payload;
        lock (random)
        {
            payload = NormalTelemetry.Of(model, random);
        }

        if (TelemetryParser.TryParse(new ReadOnlySequence<byte>(payload), now, out var reading, out _))
        {
            try
            {
                await grains.GetGrain<IDeviceGrain>(deviceId).Report(reading!);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next minute feeds it again.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: feeding the site's {Devices} devices a normal reading every {Seconds} s until one publishes over MQTT")]
    private partial void LogFeeding(int devices, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: a reading arrived over MQTT; the node no longer feeds the devices itself")]
    private partial void LogStopped();
}
