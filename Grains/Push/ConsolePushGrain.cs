using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>
/// Sends console events to every listening web host. One local worker per silo, so pushes never
/// cross the cluster just to be fanned out. Each silo activates its worker at start (<see cref="Prepare"/>), and the
/// worker asks for the list of hosts every <see cref="RefreshEvery"/> on its own, so a push finds a list younger than
/// <see cref="ConsolePush.ObserversCachedFor"/> and never waits for it. A host new to the list is sent an empty batch at
/// once: the first use of the way to it is paid then, not by the first alarm after a start (the first alarm across a
/// two-node cluster waited 45 ms for this worker's activation, 37 ms for its first list and 33 ms for its first call to
/// the host, docs/benchmarks-notes.md). While the list grain moves after a silo died, events go to the hosts known
/// rather than wait.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ConsolePushGrain : Grain, IConsolePushGrain
{
    /// <summary>How often the worker asks for the list: half the age a list may be used at.</summary>
    private static readonly TimeSpan RefreshEvery = ConsolePush.ObserversCachedFor / 2;

    private static readonly TimeSpan FetchWithin = TimeSpan.FromSeconds(5);

    private IReadOnlyList<IConsoleObserver> _observers = [];
    private long _fetchedAt;
    private Task? _refreshing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The timer keeps the worker active: one per silo, ready for the next event however long the silo was quiet.
        this.RegisterGrainTimer(_ => Refreshing(), new GrainTimerCreationOptions(TimeSpan.Zero, RefreshEvery) { KeepAlive = true, Interleave = true });
        return Task.CompletedTask;
    }

    public Task Prepare() => Task.CompletedTask;

    public async Task Push(ConsoleEvent consoleEvent)
    {
        // Before the first list, or with one older than a few seconds (its refresh failed or was late), the list is asked for
        // again first: a host registered since must get this event. If the list grain does not answer in time, the hosts
        // known still do. A fresh empty list is used like any other: the timer brings a new host within a second, and a
        // host does not call itself ready before every worker's list has had the time to (ConsoleHubBridge).
        if (Environment.TickCount64 - _fetchedAt > ConsolePush.ObserversCachedFor.TotalMilliseconds)
        {
            await Refreshing();
        }

        IReadOnlyList<ConsoleEvent> batch = [consoleEvent];
        foreach (var observer in _observers)
        {
            _ = observer.OnEvents(batch);
        }
    }

    /// <summary>
    /// The refresh under way, or a new one. A finished one is never handed out again: a refresh that failed at once (its
    /// call refused before it was sent) would otherwise stand for every refresh after it, and the list would never change.
    /// </summary>
    private Task Refreshing() => _refreshing is { IsCompleted: false } running ? running : _refreshing = Refresh();

    private async Task Refresh()
    {
        try
        {
            var observers = await GrainFactory.GetGrain<IConsoleHubListGrain>(0).GetObservers().WaitAsync(FetchWithin);
            foreach (var host in observers.Except(_observers))
            {
                _ = host.OnEvents([]);
            }

            _observers = observers;
            _fetchedAt = Environment.TickCount64;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // Keep the hosts known; the next push or tick asks again.
        }
    }
}
