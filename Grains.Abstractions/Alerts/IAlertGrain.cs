using SafetyPatrol.Devices;

namespace SafetyPatrol.Alerts;

/// <summary>One alert, keyed by its id. Sources raise; operators acknowledge and resolve.</summary>
public interface IAlertGrain : IDeadlineTarget, IGrainWithStringKey
{
    /// <summary>
    /// Raises the alert, or counts one more occurrence of it. Returns false when the alert is
    /// already resolved: the source then raises a new alert under a new id.
    /// </summary>
    Task<bool> Occur(AlertSpec spec, DateTimeOffset at);

    /// <summary>
    /// A reading while the condition still holds: not a new occurrence but a repeat (counted in
    /// <see cref="Alert.Repeats"/>), with the latest value, and the message when it still describes the
    /// value (null keeps the one there, as inside a deadband). Repeats are saved and pushed together at most every
    /// <c>CoalesceRepeatsFor</c>; <paramref name="returned"/> (the condition had gone and is back while the alert
    /// was held active, as a chattering one is) is news and goes out at once.
    /// Returns false when the alert is resolved: the condition still holding then raises a new alert.
    /// </summary>
    Task<bool> Update(double? value, string? message, IReadOnlyDictionary<string, string>? messageArgs, bool returned, DateTimeOffset at);

    /// <summary>The condition no longer holds; the alert stays until an operator resolves it.</summary>
    Task Clear(DateTimeOffset at);

    /// <summary>Raises the severity one step and the escalation level by one.</summary>
    Task Escalate(DateTimeOffset at, string? note, string? noteKey = null, IReadOnlyDictionary<string, string>? noteArgs = null);

    Task<Alert?> Get();

    Task<Alert?> Acknowledge(string user, string? note);

    Task<Alert?> Resolve(string user, string? note, string? noteKey = null, IReadOnlyDictionary<string, string>? noteArgs = null);

    /// <summary>Shelves an unresolved alert for that long (docs/interface.md §9), or changes how long; a resolved one is left alone.</summary>
    Task<Alert?> Shelve(string user, TimeSpan length, string note);

    /// <summary>Ends the shelving now; the alert is sounded, notified and escalated again.</summary>
    Task<Alert?> Unshelve(string user, string? note);

    /// <summary>Its device or room is back in service: a suppressed alert whose condition still holds reaches the operator.</summary>
    Task Reconsider(DateTimeOffset at);
}

/// <summary>Reads the alert log for the console and the API.</summary>
public interface IAlertQueryGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<Alert>> Query(AlertQuery query);

    /// <summary>Alarm-load figures for alerts raised in [from, to) (by default the 24 hours up to now), and stale ones raised before.</summary>
    Task<AlarmKpis> Kpis(DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<string>? sites = null);

    /// <summary>The floods and common causes among the unresolved alerts the operator sees (<see cref="AlertGroup"/>).</summary>
    Task<IReadOnlyList<AlertGroup>> Groups(IReadOnlyList<string>? sites = null);
}
