using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Injects a fault on a schedule (each kind in turn, a seeded random target) and keeps, for each, the alert that
/// must follow and when it was seen on the console. A fault that raises only while armed (intrusion) is injected
/// into a device whose zone <paramref name="armed"/> says is armed now, and not at all without it.
/// </summary>
public sealed class FaultInjector(IReadOnlyList<SimulatedDevice> devices, Officers? officers, RunMetrics metrics, int seed, Func<string, bool>? armed = null)
{
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(20);

    private readonly Random _random = new(seed);
    private readonly ConcurrentQueue<Fault> _faults = new();
    private int _nextKind;

    // What each device in a fault publishes to end it; left here when the run ends before the fleet could send it.
    private readonly ConcurrentDictionary<SimulatedDevice, byte[]> _restores = new();

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

    /// <summary>A webhook delivery (docs/interface.md §8) arrived: the first for a fault's alert measures fault → notification.</summary>
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
        bool Fits(FaultKind kind, SimulatedDevice device) =>
            !device.InFault && kind.AppliesTo(device.Definition.Model) && (!kind.WhenArmed || armed?.Invoke(device.Definition.Id) == true);
        var kinds = FaultKind.All.Where(k => devices.Any(d => Fits(k, d))).ToList();
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

        // Kinds take turns (in the order of FaultKind.All, skipping those with no device free for them), so a short run
        // still injects every kind the site has; the device within a kind is drawn at random.
        var kind = kinds.FirstOrDefault(k => FaultKind.All.IndexOf(k) >= _nextKind) ?? kinds[0];
        _nextKind = (FaultKind.All.IndexOf(kind) + 1) % FaultKind.All.Length;
        var candidates = devices.Where(d => Fits(kind, d)).ToList();
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
        var onDelay = kind.OnDelay(device.Definition);
        _faults.Enqueue(new Fault(kind.Name, device.Definition.Id, null, kind.AlertType, injectedAt, injectedAt + onDelay));
        try
        {
            await device.PublishNow(payload, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Its node just died: the fleet sends the fault again with the device's next reading, through the next node.
        }

        var restore = Encoding.UTF8.GetBytes(kind.Restore);
        _restores[device] = restore;
        _ = Release(device, onDelay + HoldFor, restore, cancellationToken);
    }

    /// <summary>
    /// Ends the faults the run left standing (it ended before their time was up): each device publishes its normal
    /// reading once, so a demo or a load run does not leave alarms active behind it.
    /// </summary>
    public async Task RestoreAll()
    {
        foreach (var (device, restore) in _restores)
        {
            try
            {
                await device.PublishNow(restore, CancellationToken.None);
                _restores.TryRemove(device, out _);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Its node is gone: the device's next reading after a restart ends it.
            }
        }
    }

    private async Task Release(SimulatedDevice device, TimeSpan after, byte[]? restore, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(after, cancellationToken);
            if (restore is not null)
            {
                // Sent at once, not left to the device's next reading: at a demo's rate that may be seconds away.
                device.Override = restore;
                await device.PublishNow(restore, cancellationToken);
                _restores.TryRemove(device, out _);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run ended first, or the device's node died: RestoreAll sends the restore when the run is over.
        }
        finally
        {
            device.Override = null;
            device.Silenced = false;
        }
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
