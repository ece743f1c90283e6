using System.Globalization;
using System.Text.Json;
using SafetyPatrol.Devices;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Rules;

/// <summary>A rule ready to evaluate: the comparison, its window and how it trips and clears.</summary>
public sealed class CompiledRule
{
    private readonly MetricValue? _equalTo;

    public CompiledRule(RuleDefinition definition)
    {
        Definition = definition;
        Window = TimeWindow.Parse(definition.ActiveHours);
        if (definition.EqualTo is { } e)
        {
            _equalTo = e.ValueKind switch
            {
                JsonValueKind.Number => MetricValue.Of(e.GetDouble()),
                JsonValueKind.True => MetricValue.Of(true),
                JsonValueKind.False => MetricValue.Of(false),
                _ => MetricValue.Of(e.GetString() ?? ""),
            };
        }
    }

    public RuleDefinition Definition { get; }

    public string Id => Definition.Id;

    public string Metric => Definition.Metric;

    public string AlertType => Definition.AlertType;

    public TimeWindow Window { get; }

    public TimeSpan For => TimeSpan.FromSeconds(Definition.ForSeconds);

    /// <summary>The off-delay: how long the condition must stay false before the alert clears.</summary>
    public TimeSpan ClearFor => TimeSpan.FromSeconds(Definition.ClearForSeconds);

    public double? Threshold => Definition.Above ?? Definition.Below ?? _equalTo?.Number;

    public bool AppliesTo(DeviceDefinition device) =>
        (device.System == Definition.System || Definition.System == SiteValidator.AnySystem)
        && Glob.MatchesAny(Definition.Rooms, device.Room)
        && Glob.MatchesAny(Definition.Devices, device.Id);

    /// <summary>The rule as it runs on <paramref name="device"/>: with the device's own on-delay where the rule takes it from the device.</summary>
    public CompiledRule ForDevice(DeviceDefinition device) =>
        Definition.ForSecondsFrom == SiteValidator.HeldOpenSeconds && device.HeldOpenSeconds is { } seconds
            ? new CompiledRule(Definition with { ForSeconds = seconds })
            : this;

    /// <summary>
    /// Whether the condition holds for <paramref name="value"/>. While the alert is active the
    /// deadband widens the condition, so a value hovering at the threshold does not flap.
    /// </summary>
    public bool Holds(MetricValue value, bool active)
    {
        var band = active ? Definition.Deadband : 0;
        if (Definition.Above is { } above)
        {
            return value.Number is { } n && n > above - band;
        }

        if (Definition.Below is { } below)
        {
            return value.Number is { } n && n < below + band;
        }

        return _equalTo is { } expected && Same(value, expected);
    }

    /// <summary>The key and arguments of <see cref="Describe"/> for consoles in other languages; no key for a site's own message.</summary>
    public (string? Key, IReadOnlyDictionary<string, string>? Args) Keyed(MetricValue value)
    {
        if (Definition.Message is { Length: > 0 })
        {
            return (null, null);
        }

        string Show(double n) => n.ToString("0.##", CultureInfo.InvariantCulture);
        var unit = MetricLabels.For(Metric).Unit.Trim();
        return Definition switch
        {
            { Above: { } above } when value.Number is { } n => ("rule.above", new Dictionary<string, string> { ["metric"] = Metric, ["value"] = Show(n), ["threshold"] = Show(above), ["unit"] = unit }),
            { Below: { } below } when value.Number is { } n => ("rule.below", new Dictionary<string, string> { ["metric"] = Metric, ["value"] = Show(n), ["threshold"] = Show(below), ["unit"] = unit }),
            _ when value.Flag is true => ("rule.detected", new Dictionary<string, string> { ["metric"] = Metric }),
            _ when value.Flag is false => ("rule.off", new Dictionary<string, string> { ["metric"] = Metric }),
            _ => ("rule.state", new Dictionary<string, string> { ["metric"] = Metric, ["value"] = value.ToString() ?? "" }),
        };
    }

    public string Describe(MetricValue value)
    {
        if (Definition.Message is { Length: > 0 } message)
        {
            return message;
        }

        var (label, unit) = MetricLabels.For(Metric);
        string Show(double n) => n.ToString("0.##", CultureInfo.InvariantCulture) + unit;
        return Definition switch
        {
            { Above: { } above } when value.Number is { } n => $"{label} {Show(n)} above {Show(above)}",
            { Below: { } below } when value.Number is { } n => $"{label} {Show(n)} below {Show(below)}",
            _ when value.Flag is true => $"{label} detected",
            _ when value.Flag is false => $"{label} off",
            _ => $"{label}: {value}",
        };
    }

    private static bool Same(MetricValue value, MetricValue expected) =>
        (expected.Number, expected.Flag, expected.Text) switch
        {
            ({ } n, _, _) => value.Number is { } v && Math.Abs(v - n) < 1e-9,
            (_, { } f, _) => value.Flag == f,
            (_, _, { } t) => string.Equals(value.Text, t, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
}
