namespace SafetyPatrol.Grains.Scheduling;

public static class Deadlines
{
    /// <summary>The earlier of two optional instants.</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
