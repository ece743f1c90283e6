using SafetyPatrol.Push;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// The events this host forwarded lately, so one that reaches it twice (Orleans may resend a one-way message while a
/// silo starts) reaches each console once. Two events are the same when their name, key and version are
/// (<see cref="ConsoleEvent"/>): the thing that pushed them numbers its pushes.
/// </summary>
public sealed class RecentEvents(int capacity = 4096)
{
    private readonly Lock _gate = new();
    private readonly HashSet<(string Name, string Key, long Version)> _seen = [];
    private readonly Queue<(string Name, string Key, long Version)> _order = new();

    /// <summary>True the first time an event is offered; false for a copy of one still remembered.</summary>
    public bool IsNew(ConsoleEvent consoleEvent)
    {
        var key = (consoleEvent.Name, consoleEvent.Key, consoleEvent.Version);
        lock (_gate)
        {
            if (!_seen.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
