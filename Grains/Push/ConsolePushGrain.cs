using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Push;

/// <summary>
/// Sends console events to every listening web host. One local worker per silo, so pushes never
/// cross the cluster just to be fanned out; the host list is cached for a few seconds.
/// </summary>
[StatelessWorker(1)]
public sealed class ConsolePushGrain : Grain, IConsolePushGrain
{
    private IReadOnlyList<IConsoleObserver> _observers = [];
    private long? _fetchedAt;

    public async Task Push(ConsoleEvent consoleEvent)
    {
        // An empty list is not cached: the first web host may register a moment after start-up.
        if (_observers.Count == 0 || _fetchedAt is not { } fetched || Environment.TickCount64 - fetched > ConsolePush.ObserversCachedFor.TotalMilliseconds)
        {
            _observers = await GrainFactory.GetGrain<IConsoleHubListGrain>(0).GetObservers();
            _fetchedAt = Environment.TickCount64;
        }

        IReadOnlyList<ConsoleEvent> batch = [consoleEvent];
        foreach (var observer in _observers)
        {
            _ = observer.OnEvents(batch);
        }
    }
}
