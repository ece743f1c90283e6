using System.Globalization;

namespace SafetyPatrol.Sites;

/// <summary>
/// A daily window <c>HH:mm-HH:mm</c> in local time; it may wrap midnight (<c>22:00-06:00</c>).
/// Equal start and end means the whole day.
/// </summary>
public readonly record struct TimeWindow(TimeOnly Start, TimeOnly End)
{
    public static TimeWindow Always { get; } = new(TimeOnly.MinValue, TimeOnly.MinValue);

    public bool IsAlways => Start == End;

    public static bool TryParse(string? text, out TimeWindow window)
    {
        window = Always;
        if (text is null)
        {
            return true;
        }

        var parts = text.Split('-');
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            return false;
        }

        window = new TimeWindow(start, end);
        return true;
    }

    public static TimeWindow Parse(string? text) =>
        TryParse(text, out var window) ? window : throw new FormatException($"'{text}' is not a window of the form HH:mm-HH:mm.");

    public bool Contains(TimeOnly time) =>
        IsAlways || (Start < End ? time >= Start && time < End : time >= Start || time < End);

    public bool Contains(DateTimeOffset instant, TimeZoneInfo zone) =>
        IsAlways || Contains(TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime));

    /// <summary>The next instant after <paramref name="after"/> at which the window opens or closes; null when always open.</summary>
    public DateTimeOffset? NextEdge(DateTimeOffset after, TimeZoneInfo zone)
    {
        if (IsAlways)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(after, zone);
        DateTimeOffset? best = null;
        foreach (var edge in new[] { Start, End })
        {
            for (var day = -1; day <= 1; day++)
            {
                var candidateLocal = local.Date.AddDays(day) + edge.ToTimeSpan();
                var candidate = new DateTimeOffset(candidateLocal, zone.GetUtcOffset(candidateLocal));
                if (candidate > after && (best is null || candidate < best))
                {
                    best = candidate;
                }
            }
        }

        return best;
    }

    /// <summary>The most recent instant at or before <paramref name="at"/> when the window opened; null when always open or closed now.</summary>
    public DateTimeOffset? LastOpened(DateTimeOffset at, TimeZoneInfo zone)
    {
        if (IsAlways || !Contains(at, zone))
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        var startToday = local.Date + Start.ToTimeSpan();
        var opened = startToday <= local.DateTime ? startToday : startToday.AddDays(-1);
        return new DateTimeOffset(opened, zone.GetUtcOffset(opened));
    }

    public override string ToString() => IsAlways ? "always" : $"{Start:HH\\:mm}-{End:HH\\:mm}";
}
