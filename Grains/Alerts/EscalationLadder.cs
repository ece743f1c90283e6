using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Grains.Scheduling;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// The escalation ladder of docs/interface.md §8, worked out from the alert and the routes: which steps and
/// reminders are due, and when the next one is. It runs only while the alert is open (acknowledging
/// stops it) and counts from when the alert was raised or last reactivated.
/// </summary>
public static class EscalationLadder
{
    public static DateTimeOffset? Next(Alert alert, NotifyOptions options) =>
        alert.Status != AlertStatus.Open ? null : Plan(alert, options).Select(p => (DateTimeOffset?)p.At).Aggregate((DateTimeOffset?)null, Deadlines.Earliest);

    /// <summary>The steps (and reminders of steps already taken) due by <paramref name="now"/>.</summary>
    public static IReadOnlyList<(int Route, bool Reminder)> Due(Alert alert, NotifyOptions options, DateTimeOffset now) =>
        alert.Status != AlertStatus.Open ? [] : [.. Plan(alert, options).Where(p => p.At <= now).Select(p => (p.Route, p.Reminder))];

    public static Alert Taken(Alert alert, int route, DateTimeOffset at) => alert with
    {
        Ladder = new AlertLadder(From(alert), [.. Steps(alert).Where(s => s.Route != route), new LadderStep(route, at, null)]),
    };

    public static Alert Reminded(Alert alert, int route, DateTimeOffset at) => alert with
    {
        Ladder = new AlertLadder(From(alert), [.. Steps(alert).Select(s => s.Route == route ? s with { RemindedAt = at } : s)]),
    };

    /// <summary>A reactivated alert climbs the ladder again from the start.</summary>
    public static Alert Restarted(Alert alert, DateTimeOffset at) => alert with { Ladder = new AlertLadder(at, []) };

    private static IEnumerable<(int Route, bool Reminder, DateTimeOffset At)> Plan(Alert alert, NotifyOptions options)
    {
        foreach (var i in options.Steps(alert))
        {
            var route = options.Routes[i];
            var step = Steps(alert).FirstOrDefault(s => s.Route == i);
            if (step is null)
            {
                yield return (i, false, From(alert) + TimeSpan.FromSeconds(route.AfterSeconds));
            }
            else if (route.RepeatSeconds > 0)
            {
                yield return (i, true, (step.RemindedAt ?? step.TakenAt) + TimeSpan.FromSeconds(route.RepeatSeconds));
            }
        }
    }

    private static DateTimeOffset From(Alert alert) => alert.Ladder?.From ?? alert.RaisedAt;

    private static IReadOnlyList<LadderStep> Steps(Alert alert) => alert.Ladder?.Steps ?? [];
}
