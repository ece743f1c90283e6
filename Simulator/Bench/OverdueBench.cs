using System.Collections.Concurrent;
using System.Text.Json;
using HdrHistogram;
using SafetyPatrol.Simulator.Clients;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Bench;

/// <summary>
/// Overdue detection at scale: against a running system on a generated site, records every
/// <c>inspection.overdue</c> as a console receives it and how late it came after the checkpoint's
/// due time plus grace; measures the server's CPU while it only waits, and its memory.
/// </summary>
public static class OverdueBench
{
    public sealed record Options(Uri Url, string User, string Password, string SiteFile, int Pid, TimeSpan Duration, TimeSpan IdleWindow, string? Report);

    public static async Task<int> Run(Options options, CancellationToken cancellationToken)
    {
        var site = SiteLoader.Load(options.SiteFile);
        var grace = site.Checkpoints.ToDictionary(c => c.Id, c => TimeSpan.FromMinutes(c.GraceMinutes));
        var stats = new ProcessStats(options.Pid);
        if (!stats.Available)
        {
            Console.Error.WriteLine($"No process {options.Pid} on this machine: pass the server's pid with --pid.");
            return 2;
        }

        using var api = await ApiClient.SignIn(options.Url, options.User, options.Password, cancellationToken);
        await using var console = await ConsoleListener.Connect(options.Url, api.Token, cancellationToken);
        var lateness = new LongHistogram(TimeSpan.FromHours(1).Ticks / 10, 3); // in microseconds
        var seen = new ConcurrentDictionary<string, TimeSpan>();
        console.Received += (name, alert, at) =>
        {
            if (name != "alertRaised" || alert.GetProperty("type").GetString() != "inspection.overdue")
            {
                return;
            }

            var checkpoint = alert.GetProperty("checkpointId").GetString()!;
            var late = at - (alert.GetProperty("dueAt").GetDateTimeOffset() + grace[checkpoint]);
            seen[checkpoint] = late;
            lock (lateness)
            {
                lateness.RecordValue(Math.Max(0, (long)late.TotalMicroseconds));
            }
        };

        var rss = stats.ResidentBytes();
        Console.WriteLine($"Watching {site.Checkpoints.Count:N0} checkpoints for {options.Duration.TotalSeconds:0} s; server RSS {rss / 1048576.0:N0} MiB");
        var cpuBefore = stats.CpuSeconds();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < options.Duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            Console.WriteLine($"  {clock.Elapsed:mm\\:ss}  overdue alerts received {seen.Count:N0}  worst lateness {Worst(seen):N0} ms");
        }

        var cpuDuring = (stats.CpuSeconds() - cpuBefore) / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"Measuring idle CPU for {options.IdleWindow.TotalSeconds:0} s ...");
        var idle = await stats.CpuOver(options.IdleWindow, cancellationToken);
        var result = new
        {
            checkpoints = site.Checkpoints.Count,
            overdueAlerts = seen.Count,
            latenessMs = new
            {
                p50 = lateness.GetValueAtPercentile(50) / 1000.0,
                p99 = lateness.GetValueAtPercentile(99) / 1000.0,
                max = lateness.GetMaxValue() / 1000.0,
            },
            cpuCoresDuringRun = Math.Round(cpuDuring, 3),
            cpuCoresIdle = Math.Round(idle, 3),
            residentMiB = Math.Round(stats.ResidentBytes() / 1048576.0),
        };
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        if (options.Report is { } report)
        {
            await File.WriteAllTextAsync(report, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        }

        return 0;
    }

    private static double Worst(ConcurrentDictionary<string, TimeSpan> seen) =>
        seen.IsEmpty ? 0 : seen.Values.Max().TotalMilliseconds;
}
