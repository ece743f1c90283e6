namespace SafetyPatrol.Web.Api;

/// <summary>
/// What every alarm-handling request asks for (docs/interface.md §9): a reason, and a length in whole minutes or an
/// end still to come. Shelving, drills and repairs answer the same problems in the same words.
/// </summary>
internal static class HandlingRequest
{
    /// <summary>The longest shelving or drill: a day.</summary>
    public const int MaxMinutes = 1440;

    /// <summary>The problems with a request, by field; empty when it is fine.</summary>
    public static Dictionary<string, ProblemText> Problems(string? reason, int? minutes = null, bool minutesRequired = false, DateTimeOffset? until = null, DateTimeOffset now = default)
    {
        var errors = new Dictionary<string, ProblemText>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["note"] = ProblemText.Of("sayWhy");
        }
        else if (reason.Length > TextLimits.Note)
        {
            errors["note"] = ProblemText.Of("tooLong", ("max", TextLimits.Note));
        }

        if (minutesRequired && minutes is not (>= 1 and <= MaxMinutes))
        {
            errors["minutes"] = ProblemText.Of("minutes", ("max", MaxMinutes));
        }

        if (until is { } end && end <= now)
        {
            errors["until"] = ProblemText.Of("until");
        }

        return errors;
    }
}
