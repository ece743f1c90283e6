using Cronos;

namespace SafetyPatrol.Sites;

/// <summary>A scheduled checkpoint's calendar (docs/interface.md §10): cron occurrences in the site's time zone.</summary>
public sealed class CheckpointSchedule(CronExpression cron, TimeZoneInfo zone)
{
    public static bool TryParse(string text, out CronExpression? cron, out string? why)
    {
        try
        {
            cron = CronExpression.Parse(text, CronFormat.Standard);
            why = null;
            return true;
        }
        catch (CronFormatException ex)
        {
            cron = null;
            why = ex.Message;
            return false;
        }
    }

    public static CheckpointSchedule? For(CheckpointDefinition checkpoint, TimeZoneInfo zone) =>
        checkpoint.Schedule is { } text && TryParse(text, out var cron, out _) ? new CheckpointSchedule(cron!, zone) : null;

    /// <summary>The first occurrence after <paramref name="after"/>; a check-in counts for every occurrence up to its own time.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => cron.GetNextOccurrence(after, zone, inclusive: false);
}
