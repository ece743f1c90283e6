namespace SafetyPatrol.Web.Api;

/// <summary>
/// What every alarm-handling request asks for (CONTRACT §9): a reason, and a length in whole minutes or an
/// end still to come. Shelving, drills and repairs answer the same problems in the same words.
/// </summary>
internal static class HandlingRequest
{
    /// <summary>The longest shelving or drill: a day.</summary>
    public const int MaxMinutes = 1440;

    /// <summary>The problems with a request, by field; empty when it is fine.</summary>
    public static Dictionary<string, string[]> Problems(string? reason, int? minutes = null, bool minutesRequired = false, DateTimeOffset? until = null, DateTimeOffset now = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["note"] = ["Say why."];
        }
        else if (reason.Length > TextLimits.Note)
        {
            errors["note"] = [$"At most {TextLimits.Note} characters."];
        }

        if (minutesRequired && minutes is not (>= 1 and <= MaxMinutes))
        {
            errors["minutes"] = [$"Whole minutes, 1 to {MaxMinutes}."];
        }

        if (until is { } end && end <= now)
        {
            errors["until"] = ["A time still to come, or none: until lifted."];
        }

        return errors;
    }
}
