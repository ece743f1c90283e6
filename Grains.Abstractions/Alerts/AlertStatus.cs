namespace SafetyPatrol.Alerts;

/// <summary>The operator's side of an alert: open → acknowledged → resolved.</summary>
public static class AlertStatus
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
}

/// <summary>What a source says about its alert; categories from docs/interface.md §5.</summary>
public static class AlertCategory
{
    public const string Sensor = "sensor";
    public const string Device = "device";
    public const string Inspection = "inspection";
    public const string Patrol = "patrol";
    public const string Finding = "finding";

    /// <summary>A repair ticket not started or not done in time.</summary>
    public const string Ticket = "ticket";

    /// <summary>A visitor not checked out at the gate in time.</summary>
    public const string Visitor = "visitor";
}

/// <summary>History actions.</summary>
public static class AlertAction
{
    public const string Raised = "raised";
    public const string Cleared = "cleared";
    public const string Reactivated = "reactivated";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
    public const string Escalated = "escalated";
    public const string Shelved = "shelved";
    public const string Unshelved = "unshelved";
    public const string Unsuppressed = "unsuppressed";
}
