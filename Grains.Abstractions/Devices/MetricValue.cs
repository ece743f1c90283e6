using System.Globalization;

namespace SafetyPatrol.Devices;

/// <summary>A telemetry value: a number, a boolean or a string (docs/interface.md §3).</summary>
[GenerateSerializer, Immutable]
public readonly record struct MetricValue
{
    [Id(0)] public double? Number { get; init; }
    [Id(1)] public bool? Flag { get; init; }
    [Id(2)] public string? Text { get; init; }

    public static MetricValue Of(double number) => new() { Number = number };
    public static MetricValue Of(bool flag) => new() { Flag = flag };
    public static MetricValue Of(string text) => new() { Text = text };

    /// <summary>The value as JSON would carry it.</summary>
    public object? Boxed => Number is { } n ? n : Flag is { } f ? f : Text;

    public override string ToString() =>
        Number is { } n ? n.ToString("0.##", CultureInfo.InvariantCulture)
        : Flag is { } f ? (f ? "true" : "false")
        : Text ?? "";
}
