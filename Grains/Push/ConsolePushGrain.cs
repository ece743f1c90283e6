using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>
/// Sends console events to every listening web host. One local worker per silo, so pushes never
/// cross the cluster just to be fanned out. The host list is cached for a few seconds and refreshed
/// beside the pushes: while the list grain moves after a silo died, events go to the hosts known.
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
        // An empty list is not kept: the first web host may register a moment after start-up.
        if (_observers.Count == 0)
        {
            await (_refreshing ??= Refresh());
        }
        else if (Environment.TickCount64 - _fetchedAt > ConsolePush.ObserversCachedFor.TotalMilliseconds)
        {
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
