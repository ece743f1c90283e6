using SafetyPatrol.Simulator.Load;

namespace SafetyPatrol.Silo.Tests;

public sealed class ProgressLineTests
{
    private static readonly Percentiles None = new(0, 0, 0, 0, 0);

    [Fact]
    public void BurstyAcknowledgementsGiveASteadyRateAndNoLatencyReadsAsADashUntilThereIsOne()
    {
        var line = new ProgressLine(TimeSpan.FromSeconds(10));
        Assert.Null(line.Sample(TimeSpan.Zero, 0));

        // 110 acknowledged every other 2 s: the old line said 55/s, 0/s, 55/s, ...
        List<double> rates = [];
        long acked = 0;
        for (var second = 2; second <= 40; second += 2)
        {
            acked += second % 4 == 0 ? 220 : 0;
            rates.Add(line.Sample(TimeSpan.FromSeconds(second), acked)!.Value);
        }

        Assert.All(rates.Skip(5), r => Assert.InRange(r, 44, 66));

        var text = ProgressLine.Format(TimeSpan.FromSeconds(42), 4400, 55, 0, 0, 0, None, None);
        Assert.Equal("00:42 │ acked 4,400 (55/s) │ errors 0", text);
        Assert.Equal("00:42 │ acked 4,400 (–) │ errors 0 │ faults 0/3 seen, alert p99 –",
            ProgressLine.Format(TimeSpan.FromSeconds(42), 4400, null, 0, 0, 3, None, None));
        Assert.EndsWith("alert p99 12.5 ms │ check-ins 2, p99 3.0 ms",
            ProgressLine.Format(TimeSpan.FromSeconds(42), 4400, 55, 0, 1, 3, new Percentiles(1, 12.5, 12.5, 12.5, 12.5), new Percentiles(2, 3, 3, 3, 3)));
    }
}
