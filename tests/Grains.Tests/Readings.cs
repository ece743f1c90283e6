using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.Tests;

public static class Readings
{
    public static Reading Of(DateTimeOffset at, params (string Metric, object Value)[] metrics) =>
        new(at, metrics.ToDictionary(m => m.Metric, m => m.Value switch
        {
            bool b => MetricValue.Of(b),
            string s => MetricValue.Of(s),
            _ => MetricValue.Of(Convert.ToDouble(m.Value)),
        }));
}
