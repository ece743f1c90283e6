using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Alarm latency below saturation, activation by activation: every <c>every</c> seconds each device (staggered over the
/// period) sends one reading past an immediate threshold with a value no other marker has, and its next reading brings
/// it back to normal, so the alarm clears and comes back every period. A console times each marker until an alert
/// event shows its value. A device of a system without an immediate numeric rule sends none.
/// </summary>
/// <remarks>
/// The markers use the default rules without an on-delay: fire <c>heat</c> above 57 °C, water <c>level</c> below
/// 20 % and power <c>upsBattery</c> below 20 %. The 4th marker within a minute meets the chattering rule, so from then
/// on the alert is held active and each marker is the condition coming back to a held alert: it must reach the
/// console as fast as an activation all the same.
/// </remarks>
public sealed class MarkerProbe(IReadOnlyList<SimulatedDevice> devices, RunMetrics metrics)
{
    private sealed record Kind(string Metric, double From, string Restore);

    private static readonly Dictionary<string, Kind> BySystem = new()
    {
        ["fire"] = new("heat", 60, """{"heat":25}"""),
        ["water"] = new("level", 5, """{"level":75}"""),
        ["power"] = new("upsBattery", 5, """{"upsBattery":98}"""),
    };

    private readonly ConcurrentDictionary<(string Device, double Value), Marker> _pending = new();
    private readonly ConcurrentDictionary<(string Device, double Value), Marker> _byValue = new();
    private readonly ConcurrentQueue<Marker> _all = new();
    private int _next;

    public IReadOnlyCollection<Marker> Markers => _all;

    /// <summary>Sends markers until cancelled; the first of each device after <paramref name="warmup"/>.</summary>
    public async Task Run(TimeSpan every, TimeSpan warmup, CancellationToken cancellationToken)
    {
        var probed = devices.Where(d => BySystem.ContainsKey(d.Definition.System)).ToList();
        if (probed.Count == 0)
        {
            return;
        }

        try
        {
            await Task.Delay(warmup, cancellationToken);
            var start = DateTimeOffset.UtcNow;
            for (long round = 0; ; round++)
            {
                for (var i = 0; i < probed.Count; i++)
                {
                    var at = start + every * round + every * i / probed.Count;
                    if (at - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    Send(probed[i]);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Sends what the run left queued (a marker's return to normal, or a marker and its return), so the next run on the
    /// same system starts with every marker's condition gone, as each marker expects.
    /// </summary>
    public async Task SendLeftovers()
    {
        foreach (var device in devices)
        {
            while (device.Next.TryDequeue(out var next))
            {
                try
                {
                    // Timed from before the publish, as in the run: its alert may arrive before the acknowledgement does.
                    next.Sent?.Invoke(DateTimeOffset.UtcNow);
                    await device.PublishNow(next.Payload);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Its node is gone: its next run's first reading is normal anyway.
                }
            }
        }
    }

    /// <summary>The marker a device sent with this value, whether or not the console has seen it.</summary>
    public Marker? Find(string deviceId, double value) => _byValue.GetValueOrDefault((deviceId, Math.Round(value, 3)));

    /// <summary>Called for every alert event the console receives.</summary>
    public void Observe(string? deviceId, double? value, bool active, DateTimeOffset? handledAt, DateTimeOffset receivedAt)
    {
        if (!active || deviceId is null || value is not { } v || !_pending.TryRemove((deviceId, Math.Round(v, 3)), out var marker))
        {
            return;
        }

        marker.SeenAt = receivedAt;
        marker.HandledAt = handledAt;
        metrics.MarkerLatency(receivedAt - marker.SentAt!.Value);
    }

    private void Send(SimulatedDevice device)
    {
        var kind = BySystem[device.Definition.System];
        // Values step by a thousandth within a band of 10, so no two markers in flight share one.
        var value = Math.Round(kind.From + Interlocked.Increment(ref _next) % 10_000 / 1000.0, 3);
        var marker = new Marker(device.Definition.Id, value, device.Broker);
        _pending[(marker.DeviceId, value)] = marker;
        _byValue[(marker.DeviceId, value)] = marker;
        _all.Enqueue(marker);
        var payload = Encoding.UTF8.GetBytes($$"""{"{{kind.Metric}}":{{value.ToString(CultureInfo.InvariantCulture)}}}""");
        device.Next.Enqueue(new NextReading(payload, at => marker.SentAt = at));
        device.Next.Enqueue(new NextReading(Encoding.UTF8.GetBytes(kind.Restore), null));
    }
}

/// <summary>One marker reading, the broker (node) it was sent to, and when its alert event arrived.</summary>
public sealed class Marker(string deviceId, double value, int broker)
{
    public string DeviceId { get; } = deviceId;
    public double Value { get; } = value;
    public int Broker { get; } = broker;
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? SeenAt { get; set; }

    /// <summary>When the system handled the reading, by its own clock (the alert event's <c>lastChangedAt</c>).</summary>
    public DateTimeOffset? HandledAt { get; set; }
}

/// <summary>A reading a device sends before its normal ones, and who wants to know when it went out.</summary>
public sealed record NextReading(byte[] Payload, Action<DateTimeOffset>? Sent);
