using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// When a route's rounds start: every <c>startEveryMinutes</c> from the opening of its active
/// hours (or from local midnight when it has none), only inside the window.
/// </summary>
public sealed class RoundSchedule(RouteDefinition route, TimeZoneInfo zone)
{
    private readonly TimeWindow _window = TimeWindow.Parse(route.ActiveHours);
    private readonly TimeSpan _every = TimeSpan.FromMinutes(route.StartEveryMinutes);

    /// <summary>The start of the round under way at <paramref name="now"/>; null outside the window.</summary>
    public DateTimeOffset? CurrentStart(DateTimeOffset now)
    {
        DateTimeOffset anchor;
        if (_window.IsAlways)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            anchor = new DateTimeOffset(local.Date, zone.GetUtcOffset(local.Date));
        }
        else if (_window.LastOpened(now, zone) is { } opened)
        {
            anchor = opened;
        }
        else
        {
            return null;
        }

        return anchor + ((now - anchor).Ticks / _every.Ticks) * _every;
    }

    /// <summary>The next round start after <paramref name="now"/>.</summary>
    public DateTimeOffset NextStart(DateTimeOffset now)
    {
        var next = (CurrentStart(now) ?? now) + _every;
        if (CurrentStart(now) is null || !_window.Contains(next, zone))
        {
            next = NextOpening(now);
        }

        // Without a window, rounds realign at local midnight.
        if (_window.IsAlways)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var midnight = local.Date.AddDays(1);
            var nextMidnight = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
            next = next < nextMidnight ? next : nextMidnight;
        }

        return next;
    }

    private DateTimeOffset NextOpening(DateTimeOffset now)
    {
        var at = now;
        for (var i = 0; i < 3; i++)
        {
            at = _window.NextEdge(at, zone) ?? at + _every;
            if (_window.Contains(at, zone))
            {
                return at;
            }
        }

        return now + _every;
    }
}
