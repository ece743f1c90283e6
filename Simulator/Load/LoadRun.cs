using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Simulator.Clients;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Drives a running system like the outside world does: devices over MQTT, officers over HTTP and a
/// console on the hub; injects faults and measures what comes back.
/// </summary>
public static class LoadRun
{
    public sealed record Options(
        Uri Url, IReadOnlyList<Broker> Brokers, string SiteFile, string User, string Password,
        int Connections, double Rate, TimeSpan? Duration, TimeSpan? FaultEvery, int Officers, double CheckInRate,
        int Seed, string? Report, bool Bare, TimeSpan Settle, int Qos = 1, string? BareStats = null, TimeSpan? Warmup = null, int WebhookPort = 0,
        bool DoorTraffic = false, TimeSpan? MarkerEvery = null, bool Drain = false, int SiteConsoles = 0, int ConsoleSites = 0, bool InStep = false,
        string? MarkersOut = null);

    public static async Task<int> Run(Options options, CancellationToken cancellationToken)
    {
        // A site file, or a folder of them (docs/interface.md §13): the devices taken in turn from each site, so a run of
        // some connections spans every site.
        var sites = SiteLoader.Read(options.SiteFile).Sites;
        var metrics = new RunMetrics();
        var everyDevice = sites.SelectMany(s => s.Devices.Select((d, i) => (d, i))).OrderBy(x => x.i).Select(x => x.d).ToList();
        var devices = everyDevice.Take(options.Connections <= 0 ? everyDevice.Count : options.Connections).ToList();
        var siteOf = sites.SelectMany(s => s.Devices.Select(d => (d.Id, s.Id))).ToDictionary(x => x.Item1, x => x.Item2);

        ApiClient? admin = null;
        ConsoleListener? console = null;
        ArmedZones? zones = null;
        Officers? officers = null;
        if (!options.Bare)
        {
            await ApiClient.WaitUntilHealthy(options.Url, TimeSpan.FromMinutes(2), cancellationToken);
            admin = await ApiClient.SignIn(options.Url, options.User, options.Password, cancellationToken);
            console = await ConsoleListener.Connect(options.Url, admin.Token, cancellationToken);
            zones = await ArmedZones.Read(admin, cancellationToken);
            if (options.Officers > 0)
            {
                officers = new Officers(options.Url, [.. sites.SelectMany(s => s.Checkpoints)], metrics);
                await officers.SignIn(admin, options.Officers, cancellationToken);
            }
        }

        Console.WriteLine($"Connecting {devices.Count:N0} devices to {string.Join(", ", options.Brokers)} ...");
        await using var fleet = new DeviceFleet(options.Brokers, metrics, options.Seed, options.Qos, options.DoorTraffic, options.InStep);
        try
        {
            await fleet.Connect(devices, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine($"Stopped while connecting the devices ({fleet.Devices.Count:N0} of {devices.Count:N0} connected); nothing measured.");
            if (console is not null)
            {
                await console.DisposeAsync();
            }

            admin?.Dispose();
            return 1;
        }

        var faults = new FaultInjector(fleet.Devices, officers, metrics, options.Seed, zones is null ? null : zones.IsArmed);
        var markers = new MarkerProbe(fleet.Devices, metrics);
        await using var siteConsoles = options.SiteConsoles > 0 && admin is not null
            ? await SiteConsoles.Connect(options.Url, admin.Token, [.. sites.Take(Math.Max(1, options.ConsoleSites)).Select(s => s.Id)], options.SiteConsoles, siteOf, markers, metrics, cancellationToken)
            : null;
        if (siteConsoles is not null)
        {
            Console.WriteLine($"{siteConsoles.Count:N0} consoles of one site each, over {siteConsoles.Sites.Count:N0} sites");
        }
        await using var webhook = options.WebhookPort > 0 ? new WebhookReceiver(options.WebhookPort, faults.ObserveWebhook) : null;
        if (webhook is not null)
        {
            await webhook.Start();
        }

        if (console is not null)
        {
            console.Received += (name, payload, at) =>
            {
                if (name is "alertRaised" or "alertUpdated")
                {
                    if (name == "alertRaised")
                    {
                        metrics.AlertRaised();
                    }

                    var deviceId = payload.GetProperty("deviceId").GetString();
                    var active = payload.GetProperty("active").GetBoolean();
                    faults.Observe(payload.GetProperty("type").GetString()!, deviceId, payload.GetProperty("checkpointId").GetString(), active, at);
                    markers.Observe(deviceId, payload.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null, active,
                        payload.TryGetProperty("lastChangedAt", out var changed) && changed.TryGetDateTimeOffset(out var handled) ? handled : null, at);
                }
                else if (name == "checkInRecorded")
                {
                    officers?.Observe(payload, at);
                }
                else if (name == "zoneChanged")
                {
                    zones?.Changed(payload);
                }
            };
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Duration is { } duration)
        {
            run.CancelAfter(duration);
        }

        var statsBefore = await Stats(admin, options.BareStats);
        var clock = Stopwatch.StartNew();
        Console.WriteLine(options.Rate > 0 ? $"Publishing {options.Rate:N0} readings/s" : "Publishing as fast as the broker acknowledges" +
            (options.Duration is { } d ? $" for {d.TotalSeconds:0} s" : " until Ctrl+C"));
        var work = new List<Task> { fleet.Run(options.Rate, run.Token), Progress(metrics, faults, clock, run.Token) };
        if (options.FaultEvery is { } every && console is not null)
        {
            work.Add(faults.Run(every, options.Warmup ?? TimeSpan.FromSeconds(10), run.Token));
        }

        if (options.MarkerEvery is { } markerEvery && console is not null)
        {
            work.Add(markers.Run(markerEvery, options.Warmup ?? TimeSpan.FromSeconds(10), run.Token));
        }

        if (officers is not null)
        {
            work.Add(officers.Walk(options.CheckInRate, run.Token));
        }

        await Task.WhenAll(work);
        var elapsed = clock.Elapsed.TotalSeconds;
        await markers.SendLeftovers();
        JsonElement? statsAtEnd = null;
        double? drainSeconds = null;
        if (options.Drain && !cancellationToken.IsCancellationRequested)
        {
            statsAtEnd = await Stats(admin, options.BareStats);
            drainSeconds = await Drain(admin, options.BareStats, clock, elapsed);
        }

        // Let alerts for the last faults arrive before judging what was missed.
        if ((faults.Faults.Any(f => f.SeenAt is null) || markers.Markers.Any(m => m.SeenAt is null && m.SentAt is not null)) && !cancellationToken.IsCancellationRequested)
        {
            var settleUntil = DateTimeOffset.UtcNow + options.Settle;
            while ((faults.Faults.Any(f => f.SeenAt is null && f.ExpectedAt < settleUntil) || markers.Markers.Any(m => m.SeenAt is null && m.SentAt is not null))
                && DateTimeOffset.UtcNow < settleUntil)
            {
                await Task.Delay(200, CancellationToken.None);
            }
        }

        await faults.RestoreAll();
        var statsAfter = await Stats(admin, options.BareStats);
        var report = Summarize(options, devices.Count, elapsed, metrics, faults, markers, statsBefore, statsAtEnd ?? statsAfter, DateTimeOffset.UtcNow) with
        {
            DrainSeconds = drainSeconds,
            SiteConsoles = siteConsoles?.Report(markers.Markers),
        };
        Print(report);
        if (options.Report is { } file)
        {
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }), CancellationToken.None);
            Console.WriteLine($"Report written to {file}");
        }

        if (options.MarkersOut is { } markersOut)
        {
            var rows = await MarkerLog.Write(markersOut, markers.Markers, options.Brokers, siteOf, siteConsoles);
            Console.WriteLine($"Markers written to {markersOut} ({rows:N0} rows)");
        }

        if (console is not null)
        {
            await console.DisposeAsync();
        }

        admin?.Dispose();
        return report.Faults.Missed > 0 || report.Markers?.Missing > 0 ? 1 : 0;
    }

    /// <summary>
    /// One line that updates in place on a terminal (Spectre.Console); a plain line every 10 s when the output is
    /// a file or a pipe (a benchmark's log).
    /// </summary>
    private static async Task Progress(RunMetrics metrics, FaultInjector faults, Stopwatch clock, CancellationToken cancellationToken)
    {
        var line = new ProgressLine(ProgressLine.DefaultWindow);
        string Now()
        {
            var acked = metrics.Acknowledged;
            return ProgressLine.Format(clock.Elapsed, acked, line.Sample(clock.Elapsed, acked), metrics.PublishErrors,
                faults.Faults.Count(f => f.SeenAt is not null), faults.Faults.Count, metrics.Alerts(), metrics.CheckInsRecorded());
        }

        try
        {
            if (Console.IsOutputRedirected || !Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive)
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                for (var tick = 1; await timer.WaitForNextTickAsync(cancellationToken); tick++)
                {
                    var text = Now();
                    if (tick % 10 == 0)
                    {
                        Console.WriteLine(text);
                    }
                }
            }
            else
            {
                await Spectre.Console.AnsiConsole.Live(new Spectre.Console.Text("")).StartAsync(async live =>
                {
                    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                    while (await timer.WaitForNextTickAsync(cancellationToken))
                    {
                        live.UpdateTarget(new Spectre.Console.Text(Now()));
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// How long after the last publish the server went on taking readings it had been sent: polls its count until it has not
    /// moved for 2 s (at most a minute) and answers when it last moved, in seconds after the publishing ended.
    /// </summary>
    private static async Task<double> Drain(ApiClient? admin, string? bareStats, Stopwatch clock, double endedAt)
    {
        static long? Count(JsonElement? stats) => stats?.GetProperty("readingsAccepted").GetInt64();
        var last = Count(await Stats(admin, bareStats));
        var movedAt = endedAt;
        while (clock.Elapsed.TotalSeconds - movedAt < 2 && clock.Elapsed.TotalSeconds - endedAt < 60)
        {
            await Task.Delay(50, CancellationToken.None);
            var now = Count(await Stats(admin, bareStats));
            if (now is not null && now != last)
            {
                (last, movedAt) = (now, clock.Elapsed.TotalSeconds);
            }
        }

        return Math.Round(movedAt - endedAt, 2);
    }

    /// <summary>What the server counted: the system's <c>/api/stats</c>, or the bare broker's stats file.</summary>
    private static async Task<JsonElement?> Stats(ApiClient? admin, string? bareStats)
    {
        try
        {
            if (admin is not null)
            {
                return await admin.Http.GetFromJsonAsync<JsonElement>("/api/stats");
            }

            if (bareStats is not null && File.Exists(bareStats))
            {
                var parsed = long.Parse(await File.ReadAllTextAsync(bareStats), System.Globalization.CultureInfo.InvariantCulture);
                return JsonSerializer.SerializeToElement(new { readingsAccepted = parsed, dropped = 0L });
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or FormatException)
        {
        }

        return null;
    }

    private static RunReport Summarize(Options options, int connections, double seconds, RunMetrics metrics, FaultInjector faults, MarkerProbe markers, JsonElement? before, JsonElement? after, DateTimeOffset end)
    {
        // An alert may take up to the contract's 5 s after it is due; one due later than that is pending, not missed.
        bool Missed(Fault f) => f.SeenAt is null && f.ExpectedAt + TimeSpan.FromSeconds(5) < end;
        long? Delta(string name) => before is { } b && after is { } a ? a.GetProperty(name).GetInt64() - b.GetProperty(name).GetInt64() : null;
        var accepted = Delta("readingsAccepted");
        var list = faults.Faults.Select(f => new FaultReport(f.Kind, f.DeviceId, f.CheckpointId, f.AlertType, f.InjectedAt, f.ExpectedAt, f.SeenAt, f.LatencyMs,
            f.SeenAt is not null ? "seen" : Missed(f) ? "missed" : "pending")).ToList();
        return new RunReport(
            DateTimeOffset.UtcNow,
            Environment.MachineName,
            Environment.ProcessorCount,
            options.Bare ? "bare-broker" : "system",
            connections,
            options.Rate,
            Math.Round(seconds, 1),
            new ReadingReport(metrics.Sent, metrics.Acknowledged, Math.Round(metrics.Acknowledged / seconds), accepted,
                accepted is { } n ? Math.Round(n / seconds) : null, Delta("dropped"), metrics.PublishErrors, metrics.Reconnects,
                metrics.FirstMovedAcknowledgedAt, metrics.LastMovedAcknowledgedAt),
            metrics.Alerts(),
            metrics.AlertsRaised,
            options.WebhookPort > 0 ? metrics.Webhooks() : null,
            metrics.CheckInsRecorded(),
            metrics.CheckInErrors,
            new FaultSummary(list.Count, list.Count(f => f.Status == "seen"), list.Count(f => f.Status == "missed"), list.Count(f => f.Status == "pending"), list),
            options.MarkerEvery is null ? null : MarkerSummary(markers, metrics));
    }

    /// <summary>Markers sent (a marker queued but never sent because the run ended first does not count) and seen.</summary>
    private static MarkerReport MarkerSummary(MarkerProbe markers, RunMetrics metrics)
    {
        var sent = markers.Markers.Where(m => m.SentAt is not null).ToList();
        var missing = sent.Where(m => m.SeenAt is null).ToList();
        string Describe(Marker m) => $"{m.SentAt:HH:mm:ss.fff} {m.DeviceId} {m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            + (m.SeenAt is { } seen ? $" {(seen - m.SentAt!.Value).TotalMilliseconds:0} ms" : "");
        // Per node the reading was published to (with several --mqtt brokers: the console is on --url, so the others cross nodes).
        var byBroker = sent.GroupBy(m => m.Broker).OrderBy(g => g.Key).Select(g =>
        {
            var ms = g.Where(m => m.SeenAt is not null).Select(m => (m.SeenAt!.Value - m.SentAt!.Value).TotalMilliseconds).Order().ToList();
            double At(double q) => ms.Count == 0 ? 0 : Math.Round(ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)], 2);
            return new BrokerMarkers(g.Key, g.Count(), g.Count(m => m.SeenAt is null), new Percentiles(ms.Count, At(0.5), At(0.95), At(0.99), ms.Count == 0 ? 0 : Math.Round(ms[^1], 2)));
        }).ToList();
        return new MarkerReport(sent.Count, sent.Count - missing.Count, missing.Count, metrics.Markers(), [.. missing.Take(20).Select(Describe)],
            [.. sent.Where(m => m.SeenAt is not null).OrderByDescending(m => m.SeenAt - m.SentAt).Take(10).Select(Describe)], byBroker);
    }

    private static void Print(RunReport r)
    {
        Console.WriteLine();
        Console.WriteLine($"=== {r.Target}: {r.Connections:N0} connections, {r.Seconds:N0} s on {r.Machine} ({r.Cores} cores) ===");
        Console.WriteLine($"Readings: sent {r.Readings.Sent:N0}, acknowledged {r.Readings.Acknowledged:N0} ({r.Readings.AcknowledgedPerSecond:N0}/s)"
            + (r.Readings.ServerAccepted is { } a ? $", accepted by the system {a:N0} ({r.Readings.ServerAcceptedPerSecond:N0}/s), dropped {r.Readings.ServerDropped:N0}" : "")
            + $", errors {r.Readings.Errors:N0}" + (r.Readings.Reconnects > 0 ? $", devices moved to another node {r.Readings.Reconnects:N0}" : ""));
        if (r.DrainSeconds is { } drain)
        {
            Console.WriteLine($"Drain: the server took its last reading {drain:N2} s after the last publish");
        }

        if (r.SiteConsoles is { } c)
        {
            Console.WriteLine($"Site consoles: {c.Consoles:N0} over {c.Sites:N0} sites; markers delivered {c.Delivered:N0} of {c.Expected:N0} ({c.Missing:N0} missing), "
                + $"p50 {c.LatencyMs.P50} ms, p95 {c.LatencyMs.P95} ms, p99 {c.LatencyMs.P99} ms, max {c.LatencyMs.Max} ms; alerts of another site received: {c.Foreign:N0}");
        }

        if (r.Target == "system")
        {
            Console.WriteLine($"Alerts raised on the console: {r.AlertsRaised:N0}");
            Console.WriteLine($"Fault → console alert: n={r.AlertLatencyMs.Count} p50 {r.AlertLatencyMs.P50} ms, p95 {r.AlertLatencyMs.P95} ms, p99 {r.AlertLatencyMs.P99} ms, max {r.AlertLatencyMs.Max} ms");
            if (r.WebhookLatencyMs is { } w)
            {
                Console.WriteLine($"Fault → webhook delivery: n={w.Count} p50 {w.P50} ms, p95 {w.P95} ms, p99 {w.P99} ms, max {w.Max} ms");
            }

            if (r.Markers is { } m)
            {
                Console.WriteLine($"Marker → console: n={m.Latency.Count} p50 {m.Latency.P50} ms, p95 {m.Latency.P95} ms, p99 {m.Latency.P99} ms, max {m.Latency.Max} ms; "
                    + $"sent {m.Sent}, seen {m.Seen}, missing {m.Missing}" + (m.Missing > 0 ? $" (first: {string.Join("; ", m.FirstMissing)})" : ""));
                if (m.ByBroker.Count > 1)
                {
                    foreach (var b in m.ByBroker)
                    {
                        Console.WriteLine($"  published to broker {b.Broker + 1}: n={b.Latency.Count} p50 {b.Latency.P50} ms, p99 {b.Latency.P99} ms, max {b.Latency.Max} ms; missing {b.Missing}");
                    }
                }
            }

            Console.WriteLine($"Check-in → console: n={r.CheckInLatencyMs.Count} p50 {r.CheckInLatencyMs.P50} ms, p95 {r.CheckInLatencyMs.P95} ms, p99 {r.CheckInLatencyMs.P99} ms, max {r.CheckInLatencyMs.Max} ms; errors {r.CheckInErrors}");
            Console.WriteLine($"Faults: {r.Faults.Injected} injected, {r.Faults.Seen} seen, {r.Faults.Missed} never arrived"
                + (r.Faults.Pending > 0 ? $", {r.Faults.Pending} not yet due when the run ended" : ""));
            foreach (var f in r.Faults.List)
            {
                Console.WriteLine($"  {f.InjectedAt:HH:mm:ss} {f.Kind,-18} {f.DeviceId ?? f.CheckpointId,-40} → {f.AlertType,-22} "
                    + f.Status switch
                    {
                        "seen" => $"seen, {f.LatencyMs:N1} ms after due",
                        "missed" => "NEVER ARRIVED",
                        _ => $"not yet due when the run ended (due {f.ExpectedAt:HH:mm:ss})",
                    });
            }
        }
    }
}

public sealed record RunReport(DateTimeOffset FinishedAt, string Machine, int Cores, string Target, int Connections, double TargetRate, double Seconds,
    ReadingReport Readings, Percentiles AlertLatencyMs, long AlertsRaised, Percentiles? WebhookLatencyMs, Percentiles CheckInLatencyMs, long CheckInErrors, FaultSummary Faults, MarkerReport? Markers)
{
    /// <summary>With --drain: how long after the last publish the server went on taking readings (readings per second count only those taken by then).</summary>
    public double? DrainSeconds { get; init; }

    /// <summary>With --site-consoles: consoles of one site each, the markers of their sites reaching them and any other site's alert reaching them.</summary>
    public SiteConsoleReport? SiteConsoles { get; init; }
}

public sealed record MarkerReport(int Sent, int Seen, int Missing, Percentiles Latency, IReadOnlyList<string> FirstMissing, IReadOnlyList<string> Slowest,
    IReadOnlyList<BrokerMarkers> ByBroker);

/// <summary>The markers published to one broker (by its place in --mqtt) and their latency to the console.</summary>
public sealed record BrokerMarkers(int Broker, int Sent, int Missing, Percentiles Latency);

/// <param name="FirstMovedAcknowledgedAt">When a device that lost its node first had a reading acknowledged by another (null: none moved).</param>
/// <param name="LastMovedAcknowledgedAt">When the last device that moved had its first reading acknowledged by its new node.</param>
public sealed record ReadingReport(long Sent, long Acknowledged, double AcknowledgedPerSecond, long? ServerAccepted, double? ServerAcceptedPerSecond, long? ServerDropped, long Errors, long Reconnects,
    DateTimeOffset? FirstMovedAcknowledgedAt = null, DateTimeOffset? LastMovedAcknowledgedAt = null);

public sealed record FaultSummary(int Injected, int Seen, int Missed, int Pending, IReadOnlyList<FaultReport> List);

public sealed record FaultReport(string Kind, string? DeviceId, string? CheckpointId, string AlertType, DateTimeOffset InjectedAt, DateTimeOffset ExpectedAt,
    DateTimeOffset? SeenAt, double? LatencyMs, string Status);
