using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>
/// The web hosts listening for console events; a host that stops renewing is dropped. The list is
/// kept in storage, so when the silo holding it dies the list comes back on another one whole, and
/// no console misses events until its host renews. Liveness is measured in real time, not site time.
/// </summary>
public sealed class ConsoleHubListGrain(
    [PersistentState("hubs")] IPersistentState<ConsoleHubListState> state,
    IClusterMembershipService membership) : Grain, IConsoleHubListGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    private Dictionary<string, ConsoleHub> Hosts => state.State.Hosts;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Renewals are not written, so the times in storage are as old as each host's first registration:
        // the hosts found there are counted from now, and have a whole expiry to renew with this activation.
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, host) in Hosts.ToList())
        {
            Hosts[id] = host with { RenewedAt = now };
        }

        return Task.CompletedTask;
    }

    public async Task Register(string hostId, IConsoleObserver observer)
    {
        var known = Hosts.TryGetValue(hostId, out var host) && host.Observer.Equals(observer);
        Hosts[hostId] = new ConsoleHub(observer, DateTimeOffset.UtcNow);

        // A renewal only moves the time; it is written when the list itself changes.
        if (!known)
        {
            await Save();
        }
    }

    public Task<IReadOnlyList<IConsoleObserver>> GetObservers()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var stale in Hosts.Where(h => now - h.Value.RenewedAt > Expiry || OnDeadSilo(h.Value.Observer)).Select(h => h.Key).ToList())
        {
            Hosts.Remove(stale);
        }

        return Task.FromResult<IReadOnlyList<IConsoleObserver>>([.. Hosts.Values.Select(h => h.Observer)]);
    }

    /// <summary>A web host inside a silo that has died will not renew; it is dropped at once rather than after the expiry.</summary>
    private bool OnDeadSilo(IConsoleObserver observer)
    {
        var key = observer.GetGrainId().Key.ToString();
        const string Hosted = "hosted-";
        if (!key.StartsWith(Hosted, StringComparison.Ordinal) || key.IndexOf('+') is var end && end < 0)
        {
            return false;
        }

        try
        {
            var silo = SiloAddress.FromParsableString(key[Hosted.Length..end]);
            return membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task Save()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            // The list in memory is what pushes use; a write that fails is tried with the next change.
        }
    }
}

[GenerateSerializer]
public sealed class ConsoleHubListState
{
    [Id(0)] public Dictionary<string, ConsoleHub> Hosts { get; set; } = [];
}

[GenerateSerializer]
public sealed record ConsoleHub([property: Id(0)] IConsoleObserver Observer, [property: Id(1)] DateTimeOffset RenewedAt);
