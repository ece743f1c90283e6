using System.Globalization;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// The load run's live line. The rate is counted over the last <c>window</c> (10 s by default), so bursts of
/// acknowledgements do not make it jump between a number and zero; a latency reads "–" until there is one.
/// </summary>
public sealed class ProgressLine(TimeSpan window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly Queue<(TimeSpan At, long Acked)> _samples = new();

    /// <summary>Takes this moment's count; returns readings per second over the window (null until two samples).</summary>
    public double? Sample(TimeSpan at, long acked)
    {
        _samples.Enqueue((at, acked));
        while (_samples.Count > 2 && at - _samples.Peek().At > window)
        {
            _samples.Dequeue();
        }

        var (firstAt, firstAcked) = _samples.Peek();
        return at > firstAt ? (acked - firstAcked) / (at - firstAt).TotalSeconds : null;
    }

    public static string Format(TimeSpan elapsed, long acked, double? rate, long errors, int faultsSeen, int faults, Percentiles alerts, Percentiles checkIns)
    {
        var culture = CultureInfo.InvariantCulture;
        string Ms(Percentiles p) => p.Count == 0 ? "–" : p.P99.ToString("0.0", culture) + " ms";
        var parts = new List<string>
        {
            $"{elapsed:mm\\:ss}",
            $"acked {acked.ToString("N0", culture)} ({(rate is { } r ? r.ToString("N0", culture) + "/s" : "–")})",
            $"errors {errors.ToString("N0", culture)}",
        };
        if (faults > 0)
        {
            parts.Add($"faults {faultsSeen}/{faults} seen, alert p99 {Ms(alerts)}");
        }

        if (checkIns.Count > 0)
        {
            parts.Add($"check-ins {checkIns.Count.ToString("N0", culture)}, p99 {Ms(checkIns)}");
        }

        return string.Join(" │ ", parts);
    }
}
