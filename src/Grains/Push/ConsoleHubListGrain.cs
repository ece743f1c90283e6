using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>The web hosts listening for console events; a host that stops renewing is dropped.</summary>
public sealed class ConsoleHubListGrain([FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IConsoleHubListGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, (IConsoleObserver Observer, DateTimeOffset Renewed)> _hosts = [];

    public Task Register(string hostId, IConsoleObserver observer)
    {
        _hosts[hostId] = (observer, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task Unregister(string hostId)
    {
        _hosts.Remove(hostId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IConsoleObserver>> GetObservers()
    {
        var now = time.GetUtcNow();
        foreach (var stale in _hosts.Where(h => now - h.Value.Renewed > Expiry).Select(h => h.Key).ToList())
        {
            _hosts.Remove(stale);
        }

        return Task.FromResult<IReadOnlyList<IConsoleObserver>>([.. _hosts.Values.Select(h => h.Observer)]);
    }
}
