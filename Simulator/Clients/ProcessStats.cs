namespace SafetyPatrol.Simulator.Clients;

/// <summary>CPU time and resident memory of another process on this machine, from /proc.</summary>
public sealed class ProcessStats(int pid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public bool Available => File.Exists($"/proc/{pid}/stat");

    /// <summary>User + system CPU seconds used so far.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>Average CPU use (1.0 = one core) over <paramref name="window"/>.</summary>
    public async Task<double> CpuOver(TimeSpan window, CancellationToken cancellationToken)
    {
        var before = CpuSeconds();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(window, cancellationToken);
        return (CpuSeconds() - before) / clock.Elapsed.TotalSeconds;
    }
}
