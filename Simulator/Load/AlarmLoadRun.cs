using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Simulator.Clients;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// What an operator is asked to handle (docs/interface.md §9, ISA-18.2), measured on a running system:
/// <list type="bullet">
/// <item><c>normal</c>: devices report within their limits, officers walk their rounds, and a fault happens
/// now and then; the system's own alarm-load figures for the run are compared with the target of about one
/// alarm per ten minutes.</item>
/// <item><c>blip</c>: the same, until the network drops every device at once and for longer than their
/// heartbeat; then the alerts an operator would have seen one by one are counted against the rows the
/// console shows once floods and common causes are grouped.</item>
/// </list>
/// </summary>
public static class AlarmLoadRun
{
    public sealed record Options(Uri Url, IReadOnlyList<Broker> Brokers, string SiteFile, string User, string Password,
        string Scenario, TimeSpan Duration, TimeSpan FaultEvery, int Officers, string? Report, int Seed = 11);

    public sealed record Result(string Scenario, DateTimeOffset From, DateTimeOffset To, int Devices, JsonElement Kpis,
        int? AlertsBeforeGrouping, int? RowsAfterGrouping, int? Groups);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> Run(Options options, CancellationToken cancellationToken)
    {
        var site = SiteLoader.Load(options.SiteFile);
        await ApiClient.WaitUntilHealthy(options.Url, TimeSpan.FromMinutes(2), cancellationToken);
        using var admin = await ApiClient.SignIn(options.Url, options.User, options.Password, cancellationToken);
        var metrics = new RunMetrics();
        var fleet = new DeviceFleet(options.Brokers, metrics, options.Seed);
        Console.WriteLine($"Connecting {site.Devices.Count:N0} devices of {site.Name} ...");
        await fleet.Connect(site.Devices, cancellationToken);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var from = DateTimeOffset.UtcNow;

        // Each device reports about twice a minute, well within any heartbeat.
        List<Task> work = [fleet.Run(site.Devices.Count / 30.0, run.Token)];
        Officers? officers = null;
        if (options.Officers > 0 && site.Checkpoints.Count > 0)
        {
            officers = new Officers(options.Url, site.Checkpoints, metrics);
            await officers.SignIn(admin, options.Officers, cancellationToken);
            work.Add(officers.Walk(0.2, run.Token));
        }

        int? before = null, after = null, groups = null;
        if (options.Scenario == "blip")
        {
            // Ordinary running first, then the network drops every device at once.
            await Wait(TimeSpan.FromMinutes(1), "running normally", admin, from, cancellationToken);
            var blipAt = DateTimeOffset.UtcNow;
            Console.WriteLine($"[{blipAt:HH:mm:ss}] network blip: every device loses its connection");
            run.Cancel();
            await Task.WhenAll(work);
            await fleet.DisposeAsync();
            var longest = TimeSpan.FromSeconds(site.Devices.Max(d => d.HeartbeatSeconds));
            await Wait(longest + TimeSpan.FromSeconds(30), "devices silent", admin, from, cancellationToken);

            var alerts = (await admin.Http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=unresolved&limit=1000", cancellationToken))!
                .Where(a => a.GetProperty("raisedAt").GetDateTimeOffset() >= blipAt && a.GetProperty("suppressed").ValueKind == JsonValueKind.Null
                    && a.GetProperty("shelvedUntil").ValueKind == JsonValueKind.Null)
                .Select(a => a.GetProperty("id").GetString()!).ToList();
            var found = (await admin.Http.GetFromJsonAsync<JsonElement[]>("/api/alerts/groups", cancellationToken))!;
            var grouped = found.SelectMany(g => g.GetProperty("alertIds").EnumerateArray().Select(i => i.GetString()!)).ToHashSet();
            before = alerts.Count;
            groups = found.Count(g => g.GetProperty("alertIds").EnumerateArray().Any(i => alerts.Contains(i.GetString()!)));
            after = groups + alerts.Count(id => !grouped.Contains(id));
        }
        else
        {
            var faults = new FaultInjector(fleet.Devices, officers, metrics, options.Seed);
            work.Add(faults.Run(options.FaultEvery, TimeSpan.FromSeconds(30), run.Token));
            await Wait(options.Duration, "a normal day", admin, from, cancellationToken);
            run.Cancel();
            await Task.WhenAll(work);
            await fleet.DisposeAsync();
        }

        var to = DateTimeOffset.UtcNow;
        var kpis = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/alerts/kpis?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", cancellationToken);
        var result = new Result(options.Scenario, from, to, site.Devices.Count, kpis, before, after, groups);
        Console.WriteLine();
        Console.WriteLine($"=== {options.Scenario}: {site.Name}, {site.Devices.Count} devices, {(to - from).TotalMinutes:0.0} min ===");
        Console.WriteLine($"Alarms: {kpis.GetProperty("alarms").GetInt32()}, {kpis.GetProperty("averagePerTenMinutes").GetDouble()} per 10 min "
            + $"(ISA-18.2 target about {kpis.GetProperty("targetPerTenMinutes").GetDouble()}), peak {kpis.GetProperty("peakPerTenMinutes").GetInt32()} in 10 min, "
            + $"in flood {kpis.GetProperty("floodShare").GetDouble():P0} of the time");
        if (before is not null)
        {
            Console.WriteLine($"Network blip: {before} alerts one by one; the console shows {after} rows ({groups} groups)");
        }

        if (options.Report is { } file)
        {
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, Json), CancellationToken.None);
            Console.WriteLine($"Report written to {file}");
        }

        return 0;
    }

    /// <summary>Waits, with a progress line every 30 s: time left and the alarms so far.</summary>
    private static async Task Wait(TimeSpan length, string what, ApiClient admin, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + length;
        while (DateTimeOffset.UtcNow < until)
        {
            var step = until - DateTimeOffset.UtcNow;
            await Task.Delay(step < TimeSpan.FromSeconds(30) ? step : TimeSpan.FromSeconds(30), cancellationToken);
            var unresolved = (await admin.Http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=unresolved&limit=1000", cancellationToken))!
                .Count(a => a.GetProperty("raisedAt").GetDateTimeOffset() >= from);
            var left = until - DateTimeOffset.UtcNow;
            Console.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {what}: {Math.Max(0, left.TotalSeconds):0} s to go, {unresolved} unresolved alerts raised since the start");
        }
    }
}
