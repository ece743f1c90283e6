using System.Text.Json;

namespace SafetyPatrol.Sites;

/// <summary>
/// A rule (docs/interface.md §2): one metric compared with one of <see cref="Above"/>, <see cref="Below"/>
/// or <see cref="EqualTo"/> on the devices its <see cref="System"/>, <see cref="Rooms"/> and
/// <see cref="Devices"/> globs match.
/// </summary>
public sealed record RuleDefinition
{
    public string Id { get; init; } = "";

    /// <summary>Alert type; defaults to <c>{system}.{id without the "{system}-" prefix}</c>.</summary>
    public string? Type { get; init; }

    public string System { get; init; } = "";
    public string Metric { get; init; } = "";
    public double? Above { get; init; }
    public double? Below { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("equals")]
    public JsonElement? EqualTo { get; init; }

    public IReadOnlyList<string>? Rooms { get; init; }
    public IReadOnlyList<string>? Devices { get; init; }
    public string? ActiveHours { get; init; }
    public string Severity { get; init; } = "warning";
    public double ForSeconds { get; init; }

    /// <summary>The off-delay: the condition must stay false this long before the alert clears (a return within it holds the alert).</summary>
    public double ClearForSeconds { get; init; }

    public double Deadband { get; init; }

    /// <summary>The alarm class (<c>alarm</c>, <c>supervisory</c>, <c>trouble</c>); by default alarm when critical, supervisory otherwise.</summary>
    public string? Class { get; init; }

    /// <summary>Holds only while the device's zone is armed (a device in no zone counts as armed).</summary>
    public bool WhenArmed { get; init; }

    /// <summary>Raised in full during a drill of its building: a panic button is never a drill.</summary>
    public bool ExemptFromDrills { get; init; }

    /// <summary>Takes the on-delay from the device instead of <see cref="ForSeconds"/>: <c>heldOpenSeconds</c>, when the device sets it.</summary>
    public string? ForSecondsFrom { get; init; }

    public string AlarmClassOrDefault => Class ?? Alerts.AlarmClass.ForSeverity(Severity);

    /// <summary>Shown on the alert; defaults to a sentence built from the metric and threshold.</summary>
    public string? Message { get; init; }

    public string AlertType
    {
        get
        {
            if (Type is { Length: > 0 })
            {
                return Type;
            }

            var prefix = System + "-";
            var name = Id.StartsWith(prefix, StringComparison.Ordinal) ? Id[prefix.Length..] : Id;
            return $"{System}.{name}";
        }
    }
}
