using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Injects a fault on a schedule (seeded random kind and target) and keeps, for each, the alert that
/// must follow and when it was seen on the console.
/// </summary>
public sealed class FaultInjector(IReadOnlyList<SimulatedDevice> devices, Officers? officers, RunMetrics metrics, int seed)
{
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(20);

    private readonly Random _random = new(seed);
    private readonly ConcurrentQueue<Fault> _faults = new();

    public IReadOnlyCollection<Fault> Faults => _faults;

    /// <summary>Injects faults after <paramref name="warmup"/>, so latencies describe the system warm, not its first call.</summary>
    public async Task Run(TimeSpan every, TimeSpan warmup, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(warmup, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                await InjectOne(cancellationToken);
                await Task.Delay(every * (0.5 + _random.NextDouble()), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Called for every alert the console receives.</summary>
    public void Observe(string type, string? deviceId, string? checkpointId, bool active, DateTimeOffset receivedAt)
    {
        if (!active)
        {
            return;
        }

        foreach (var fault in _faults)
        {
            if (fault.SeenAt is null && fault.AlertType == type && (fault.DeviceId == deviceId && deviceId is not null || fault.CheckpointId == checkpointId && checkpointId is not null)
                && receivedAt >= fault.InjectedAt)
            {
                fault.SeenAt = receivedAt;
                var latency = receivedAt - fault.ExpectedAt;
                fault.LatencyMs = Math.Round(latency.TotalMilliseconds, 2);
                metrics.AlertLatency(latency);
                return;
            }
        }
    }

    /// <summary>A webhook delivery (CONTRACT §8) arrived: the first for a fault's alert measures fault → notification.</summary>
    public void ObserveWebhook(string type, string? deviceId, string? checkpointId, DateTimeOffset receivedAt)
    {
        foreach (var fault in _faults)
        {
            if (fault.NotifiedAt is null && fault.AlertType == type && (fault.DeviceId == deviceId && deviceId is not null || fault.CheckpointId == checkpointId && checkpointId is not null)
                && receivedAt >= fault.InjectedAt)
            {
                fault.NotifiedAt = receivedAt;
                metrics.WebhookLatency(receivedAt - fault.ExpectedAt);
                return;
            }
        }
    }

    private async Task InjectOne(CancellationToken cancellationToken)
    {
        var kinds = FaultKind.All.Where(k => devices.Any(d => !d.InFault && k.AppliesTo(d.Definition.Model))).ToList();
        if (officers?.CanSkip == true && _random.NextDouble() < 0.15)
        {
            var skipped = officers.Skip(_random);
            if (skipped is not null)
            {
                _faults.Enqueue(new Fault("skipped-checkpoint", null, skipped.Value.Checkpoint.Id, "inspection.overdue", DateTimeOffset.UtcNow, skipped.Value.DueAt));
                return;
            }
        }

        if (kinds.Count == 0)
        {
            return;
        }

        var kind = kinds[_random.Next(kinds.Count)];
        var candidates = devices.Where(d => !d.InFault && kind.AppliesTo(d.Definition.Model)).ToList();
        var device = candidates[_random.Next(candidates.Count)];
        if (kind.Name == "silent")
        {
            device.Silenced = true;
            var last = device.LastAcknowledged;
            _faults.Enqueue(new Fault(kind.Name, device.Definition.Id, null, kind.AlertType, DateTimeOffset.UtcNow, last + TimeSpan.FromSeconds(device.Definition.HeartbeatSeconds)));
            _ = Release(device, TimeSpan.FromSeconds(device.Definition.HeartbeatSeconds) + HoldFor, null, cancellationToken);
            return;
        }

        var payload = Encoding.UTF8.GetBytes(kind.Payload);
        device.Override = payload;
        var injectedAt = DateTimeOffset.UtcNow;
        _faults.Enqueue(new Fault(kind.Name, device.Definition.Id, null, kind.AlertType, injectedAt, injectedAt + kind.OnDelay));
        try
        {
            await device.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{device.Definition.Id}/telemetry")
                .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Its node just died: the fleet sends the fault again with the device's next reading, through the next node.
        }

        _ = Release(device, kind.OnDelay + HoldFor, Encoding.UTF8.GetBytes(kind.Restore), cancellationToken);
    }

    private static async Task Release(SimulatedDevice device, TimeSpan after, byte[]? restore, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        if (restore is not null)
        {
            device.Override = restore;
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        device.Override = null;
        device.Silenced = false;
    }
}

/// <summary>One injected fault and the alert it must produce.</summary>
public sealed class Fault(string kind, string? deviceId, string? checkpointId, string alertType, DateTimeOffset injectedAt, DateTimeOffset expectedAt)
{
    public string Kind { get; } = kind;
    public string? DeviceId { get; } = deviceId;
    public string? CheckpointId { get; } = checkpointId;
    public string AlertType { get; } = alertType;
    public DateTimeOffset InjectedAt { get; } = injectedAt;

    /// <summary>When the alert is due: injection plus the rule's on-delay, or the heartbeat or due time running out.</summary>
    public DateTimeOffset ExpectedAt { get; } = expectedAt;

    public DateTimeOffset? SeenAt { get; set; }
    public double? LatencyMs { get; set; }

    /// <summary>When a webhook delivery about the alert arrived, if the run listens for them.</summary>
    public DateTimeOffset? NotifiedAt { get; set; }
}
