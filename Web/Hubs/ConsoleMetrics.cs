using System.Diagnostics.Metrics;
using SafetyPatrol.Alerts;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// <c>safetypatrol_console_push_seconds</c> (docs/interface.md §12): from an alert's change (the reading that raised
/// or changed it being handled) to the event handed to SignalR on this web host.
/// </summary>
public static class ConsoleMetrics
{
    public const string MeterName = "SafetyPatrol.Console";

    /// <summary>The histogram's name as Prometheus scrapes it.</summary>
    public const string PrometheusName = "safetypatrol_console_push_seconds";

    private const string Description = "Reading handled → alert event handed to the hub";

    /// <summary>The buckets' upper bounds, in seconds.</summary>
    public static readonly IReadOnlyList<double> Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Push = Meter.CreateHistogram("safetypatrol.console.push", unit: "s", description: Description,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });

    /// <summary>
    /// The histogram with nothing recorded yet, in the Prometheus text format and labelled as OpenTelemetry's exporter labels
    /// it once something is: what a Prometheus client exports from the start.
    /// </summary>
    public static string ZeroSeries()
    {
        const string labels = "otel_scope_name=\"" + MeterName + "\"";
        var text = new System.Text.StringBuilder()
            .Append("# TYPE ").Append(PrometheusName).Append(" histogram\n")
            .Append("# UNIT ").Append(PrometheusName).Append(" seconds\n")
            .Append("# HELP ").Append(PrometheusName).Append(' ').Append(Description).Append('\n');
        foreach (var bound in Buckets)
        {
            text.Append(PrometheusName).Append("_bucket{").Append(labels).Append(",le=\"")
                .Append(bound.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("\"} 0\n");
        }

        return text.Append(PrometheusName).Append("_bucket{").Append(labels).Append(",le=\"+Inf\"} 0\n")
            .Append(PrometheusName).Append("_sum{").Append(labels).Append("} 0\n")
            .Append(PrometheusName).Append("_count{").Append(labels).Append("} 0\n")
            .ToString();
    }

    public static void Pushed(Alert alert, DateTimeOffset now)
    {
        var seconds = (now - alert.LastChangedAt).TotalSeconds;
        if (seconds >= 0)
        {
            Push.Record(seconds);
        }
    }
}
