using Cronos;

namespace SafetyPatrol.Sites;

/// <summary>A zone's arming windows in the site's time zone: whether they hold an instant, and when that next changes.</summary>
public sealed class ArmingSchedule
{
    private readonly (CronExpression Cron, TimeSpan Length)[] _windows;
    private readonly TimeZoneInfo _zone;

    public ArmingSchedule(IEnumerable<ArmingWindow> windows, TimeZoneInfo zone)
    {
        _windows = [.. windows.Select(w => (CronExpression.Parse(w.Cron, CronFormat.Standard), TimeSpan.FromMinutes(w.Minutes)))];
        _zone = zone;
    }

    /// <summary>Whether a window is open at <paramref name="at"/>: one started within its length before it.</summary>
    public bool IsArmed(DateTimeOffset at) => _windows.Any(w => OpenedAt(w, at) is not null);

    /// <summary>The next instant after <paramref name="at"/> at which a window opens or closes; null for no windows.</summary>
    public DateTimeOffset? NextEdge(DateTimeOffset at)
    {
        DateTimeOffset? next = null;
        foreach (var window in _windows)
        {
            if (OpenedAt(window, at) is { } opened)
            {
                next = Earliest(next, opened + window.Length);
            }

            next = Earliest(next, window.Cron.GetNextOccurrence(at, _zone, inclusive: false));
        }

        return next;
    }

    /// <summary>The next instant after <paramref name="at"/> at which the schedule's armed state differs from now; null if it never does.</summary>
    public DateTimeOffset? NextChange(DateTimeOffset at)
    {
        var armed = IsArmed(at);
        var edge = NextEdge(at);

        // Windows that touch or overlap keep the state across an edge: look a few edges on.
        for (var i = 0; i < 64 && edge is { } e; i++)
        {
            if (IsArmed(e) != armed)
            {
                return e;
            }

            edge = NextEdge(e);
        }

        return null;
    }

    private DateTimeOffset? OpenedAt((CronExpression Cron, TimeSpan Length) window, DateTimeOffset at) =>
        window.Cron.GetNextOccurrence(at - window.Length, _zone, inclusive: false) is { } start && start <= at ? start : null;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
