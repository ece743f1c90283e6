using System.Diagnostics.Metrics;
using SafetyPatrol.Alerts;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// <c>safetypatrol_console_push_seconds</c> (CONTRACT §12): from an alert's change (the reading that raised
/// or changed it being handled) to the event handed to SignalR on this web host.
/// </summary>
public static class ConsoleMetrics
{
    public const string MeterName = "SafetyPatrol.Console";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Push = Meter.CreateHistogram("safetypatrol.console.push", unit: "s",
        description: "Reading handled → alert event handed to the hub",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    public static void Pushed(Alert alert, DateTimeOffset now)
    {
        var seconds = (now - alert.LastChangedAt).TotalSeconds;
        if (seconds >= 0)
        {
            Push.Record(seconds);
        }
    }
}
