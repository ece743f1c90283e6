namespace SafetyPatrol.Alerts;

/// <summary>
/// The class of an alert as NFPA 72 names them: an <c>alarm</c> calls for action now (fire, intrusion,
/// panic), a <c>supervisory</c> signal says a watched system or duty is off normal (sprinkler pressure,
/// an overdue inspection), a <c>trouble</c> signal says the watching itself is impaired (a panel fault,
/// a device offline, tamper, video loss).
/// </summary>
public static class AlarmClass
{
    public const string Alarm = "alarm";
    public const string Supervisory = "supervisory";
    public const string Trouble = "trouble";

    public static bool IsValid(string? value) => value is Alarm or Supervisory or Trouble;

    /// <summary>The class of an alert whose source did not name one: a device's own state is trouble, paperwork is supervisory.</summary>
    public static string ForCategory(string category) => category == AlertCategory.Device ? Trouble : Supervisory;

    /// <summary>A site rule that names no class: a critical condition is an alarm, anything less supervisory.</summary>
    public static string ForSeverity(string severity) => severity == Severities.Critical ? Alarm : Supervisory;
}
