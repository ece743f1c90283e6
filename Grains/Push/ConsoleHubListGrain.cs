using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>
/// The web hosts listening for console events; a host that stops renewing is dropped. Host
/// liveness is measured in real elapsed time, not site time.
/// </summary>
public sealed class ConsoleHubListGrain : Grain, IConsoleHubListGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, (IConsoleObserver Observer, long RenewedAt)> _hosts = [];

    public Task Register(string hostId, IConsoleObserver observer)
    {
        _hosts[hostId] = (observer, Environment.TickCount64);
        return Task.CompletedTask;
    }

    public Task Unregister(string hostId)
    {
        _hosts.Remove(hostId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IConsoleObserver>> GetObservers()
    {
        var now = Environment.TickCount64;
        foreach (var stale in _hosts.Where(h => now - h.Value.RenewedAt > Expiry.TotalMilliseconds).Select(h => h.Key).ToList())
        {
            _hosts.Remove(stale);
        }

        return Task.FromResult<IReadOnlyList<IConsoleObserver>>([.. _hosts.Values.Select(h => h.Observer)]);
    }
}
