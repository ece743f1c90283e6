namespace SafetyPatrol;

/// <summary>Alert severities, most severe first (docs/interface.md §5).</summary>
public static class Severities
{
    public const string Critical = "critical";
    public const string Major = "major";
    public const string Minor = "minor";
    public const string Warning = "warning";

    private static readonly string[] Order = [Critical, Major, Minor, Warning];

    public static bool IsValid(string? severity) => severity is not null && Array.IndexOf(Order, severity) >= 0;

    /// <summary>0 for critical up to 3 for warning; lower is worse.</summary>
    public static int Rank(string severity) => Array.IndexOf(Order, severity) is var i and >= 0 ? i : Order.Length;

    public static string? Worst(IEnumerable<string> severities) =>
        severities.OrderBy(Rank).FirstOrDefault();

    /// <summary>One step more severe, stopping at critical.</summary>
    public static string Raise(string severity) => Order[Math.Max(0, Rank(severity) - 1)];
}
