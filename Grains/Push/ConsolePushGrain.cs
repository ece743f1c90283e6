using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>
/// Sends console events to every listening web host. One local worker per silo, so pushes never
/// cross the cluster just to be fanned out. The host list is cached for a few seconds; while the list
/// grain moves after a silo died, events go to the hosts known rather than wait. It is asked for again
/// from half that age on without the push waiting, so under a steady flow of events no push waits for
/// the list (one every 2 s waited 1-9 ms for it across a cluster, docs/benchmarks-notes.md).
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ConsolePushGrain : Grain, IConsolePushGrain
{
    private static readonly TimeSpan FetchWithin = TimeSpan.FromSeconds(5);

    private IReadOnlyList<IConsoleObserver> _observers = [];
    private long _fetchedAt;
    private Task? _refreshing;

    public async Task Push(ConsoleEvent consoleEvent)
    {
        // A list older than a few seconds is asked for again first (a host registered since must get this event);
        // if the list grain does not answer in time, the hosts known still do. An empty list is never kept.
        var age = Environment.TickCount64 - _fetchedAt;
        if (_observers.Count == 0 || age > ConsolePush.ObserversCachedFor.TotalMilliseconds)
        {
            await (_refreshing ??= Refresh());
        }
        else if (age > ConsolePush.ObserversCachedFor.TotalMilliseconds / 2)
        {
            // Half as old: asked for now, in time for the pushes after this one.
            _refreshing ??= Refresh();
        }

        IReadOnlyList<ConsoleEvent> batch = [consoleEvent];
        foreach (var observer in _observers)
        {
            _ = observer.OnEvents(batch);
        }
    }

    private async Task Refresh()
    {
        try
        {
            _observers = await GrainFactory.GetGrain<IConsoleHubListGrain>(0).GetObservers().WaitAsync(FetchWithin);
            _fetchedAt = Environment.TickCount64;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // Keep the hosts known; the next push asks again.
        }
        finally
        {
            _refreshing = null;
        }
    }
}
