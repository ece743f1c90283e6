using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;
using SafetyPatrol.Simulator.Load;
using SafetyPatrol.Simulator.Sites;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The simulator against the system started as a process, on real time, as a load tester uses it.</summary>
public sealed class SimulatorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AGeneratedSiteOfManyCampusesValidatesWithEveryKindOfSystem()
    {
        var site = SiteGenerator.Generate(new GeneratorOptions { Campuses = 20, CheckpointsPerCampus = 40, FastCheckpoints = 5 });

        Assert.Empty(SiteValidator.Validate(site, "generated.json"));
        Assert.Equal(20 * 6, site.Buildings.Count);
        Assert.Equal(20 * 6 * 8 * 2, site.Devices.Count);
        Assert.Equal(20 * 40, site.Checkpoints.Count);
        Assert.Equal(["fire", "gas", "power", "water"], site.Devices.Select(d => d.System).Distinct().Order());
        Assert.Equal(5, site.Checkpoints.Count(c => c.EveryMinutes <= 3));
    }

    [Fact]
    public void ACampusWithSecurityHasDoorsInTheirZoneAndAPerimeterArmedAtNight()
    {
        var site = SiteGenerator.Generate(new GeneratorOptions { Campuses = 2, DoorsPerCampus = 30, DoorsArmedNightly = false, Security = true });

        Assert.Empty(SiteValidator.Validate(site, "generated.json"));
        Assert.Equal(2 * (30 + 4 + 3), site.Devices.Count(d => d.System == "security"));
        var doors = site.Zones.Single(z => z.Id == "c0001-doors");
        Assert.Empty(doors.Armed);
        Assert.Equal(30, site.Devices.Count(doors.Holds));
        var perimeter = site.Zones.Single(z => z.Id == "c0001-perimeter");
        Assert.Equal(["perimeter-beam"], site.Devices.Where(perimeter.Holds).Select(d => d.Model).Distinct());
        Assert.NotEmpty(perimeter.Armed);
    }

    [Fact]
    public async Task DoorTrafficInSchoolHoursRaisesNothingAndEverySecurityFaultTheSimulatorInjectsReachesTheConsole()
    {
        var siteFile = Path.Combine(_temp.Path, "site.json");
        var generated = SiteGenerator.Generate(new GeneratorOptions
        {
            // An hour's heartbeat: no device is called silent while the first run connects them (a silent fault stays pending).
            Campuses = 1, RoomsPerBuilding = 1, DevicesPerRoom = 0, CheckpointsPerCampus = 0, HeartbeatSeconds = 3600, Seed = 5,
            DoorsPerCampus = 24, DoorsArmedNightly = false, Security = true,
        });
        var site = generated with { Devices = [.. generated.Devices.Select(d => d.Model == "door-contact" ? d with { HeldOpenSeconds = 3 } : d)] };
        var (system, url, mqtt) = await StartOn(site, siteFile);
        await using var running = system;
        LoadRun.Options Run(string report, TimeSpan? faultEvery) => new(
            url, [new Broker("127.0.0.1", mqtt)], siteFile, "admin", "simulator-1",
            Connections: 0, Rate: 60, Duration: TimeSpan.FromSeconds(faultEvery is null ? 6 : 12), FaultEvery: faultEvery, Officers: 0, CheckInRate: 0,
            Seed: 3, Report: report, Bare: false, Settle: TimeSpan.FromSeconds(15), Warmup: TimeSpan.FromSeconds(1), DoorTraffic: true);

        // School hours: the door zone has no arming window, so doors opening and closing all the while are readings only.
        var quiet = Path.Combine(_temp.Path, "doors.json");
        Assert.Equal(0, await LoadRun.Run(Run(quiet, null), CancellationToken.None));
        var doors = JsonDocument.Parse(await File.ReadAllTextAsync(quiet)).RootElement;
        Assert.True(doors.GetProperty("readings").GetProperty("serverAccepted").GetInt64() > 150, doors.ToString());
        Assert.Equal(0, doors.GetProperty("alertsRaised").GetInt64());

        // The perimeter armed by an operator: the simulator learns it from the zones and then injects intrusions too.
        using (var admin = await SafetyPatrol.Simulator.Clients.ApiClient.SignIn(url, "admin", "simulator-1"))
        {
            (await admin.Http.PostAsJsonAsync("/api/zones/c0000-perimeter/arm", new { reason = "夜间演练 night test", minutes = 60 })).EnsureSuccessStatusCode();
        }

        var faulty = Path.Combine(_temp.Path, "faults.json");
        Assert.Equal(0, await LoadRun.Run(Run(faulty, TimeSpan.FromSeconds(0.7)), CancellationToken.None));
        var faults = JsonDocument.Parse(await File.ReadAllTextAsync(faulty)).RootElement.GetProperty("faults");
        Assert.Equal(0, faults.GetProperty("missed").GetInt32());
        var seen = faults.GetProperty("list").EnumerateArray().Where(f => f.GetProperty("status").GetString() == "seen")
            .Select(f => f.GetProperty("alertType").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?>
        {
            "security.intrusion", "security.door-forced", "security.door-held-open", "security.video-lost", "security.panic", "device.tamper",
        }, seen);
    }

    [Fact]
    public async Task ALoadRunWithInjectedFaultsSeesEveryFaultOnTheConsoleAndEveryReadingIsAccepted()
    {
        var siteFile = Path.Combine(_temp.Path, "site.json");
        var site = SiteGenerator.Generate(new GeneratorOptions { Campuses = 1, RoomsPerBuilding = 2, DevicesPerRoom = 2, CheckpointsPerCampus = 6, HeartbeatSeconds = 4, Seed = 7 });
        var (system, url, mqtt) = await StartOn(site, siteFile);
        await using var running = system;
        var report = Path.Combine(_temp.Path, "report.json");

        var exit = await LoadRun.Run(new LoadRun.Options(
            url, [new Broker("127.0.0.1", mqtt)], siteFile, "admin", "simulator-1",
            Connections: 0, Rate: 100, Duration: TimeSpan.FromSeconds(8), FaultEvery: TimeSpan.FromSeconds(1.5), Officers: 1, CheckInRate: 1,
            Seed: 3, Report: report, Bare: false, Settle: TimeSpan.FromSeconds(20), Warmup: TimeSpan.FromSeconds(1)), CancellationToken.None);

        var result = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        var faults = result.GetProperty("faults");
        Assert.True(faults.GetProperty("injected").GetInt32() >= 3, result.ToString());
        Assert.Equal(0, faults.GetProperty("missed").GetInt32());
        Assert.Equal(0, exit);
        var readings = result.GetProperty("readings");
        Assert.Equal(0, readings.GetProperty("errors").GetInt64());
        Assert.True(readings.GetProperty("acknowledged").GetInt64() > 0);

        // Fault payloads are published beside the fleet's own count, so the server sees at least as many.
        Assert.True(readings.GetProperty("serverAccepted").GetInt64() >= readings.GetProperty("acknowledged").GetInt64(), result.ToString());
        Assert.True(result.GetProperty("checkInLatencyMs").GetProperty("count").GetInt64() > 0, result.ToString());

        // Every seen fault is in the latency histogram, and within the contract: a sensor alert within 1 s of its
        // reading (§6), an overdue inspection or a silent device within 5 s of being due (§5).
        var seen = faults.GetProperty("list").EnumerateArray().Where(f => f.GetProperty("status").GetString() == "seen").ToList();
        Assert.Equal(seen.Count, result.GetProperty("alertLatencyMs").GetProperty("count").GetInt64());
        foreach (var fault in seen)
        {
            var bound = fault.GetProperty("alertType").GetString() is "inspection.overdue" or "device.offline" ? 5000 : 1000;
            Assert.InRange(fault.GetProperty("latencyMs").GetDouble(), 0, bound);
        }
    }

    [Fact]
    public async Task SiteConsolesTimeTheMarkersOfTheirOwnSiteOnlyAndEveryDeliveryIsWrittenOut()
    {
        // Two sites, one file each: three consoles over them (the first site gets consoles 0 and 2, the second console 1).
        var folder = Path.Combine(_temp.Path, "sites");
        Directory.CreateDirectory(folder);
        var sites = SiteGenerator.GenerateSites(new GeneratorOptions
        {
            Campuses = 2, RoomsPerBuilding = 1, DevicesPerRoom = 1, CheckpointsPerCampus = 0, HeartbeatSeconds = 3600, Seed = 9,
        }).ToList();
        foreach (var one in sites)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, one.Id + ".json"), JsonSerializer.Serialize(one, SiteJson.Options));
        }

        var (system, url, mqtt) = await StartOn(folder);
        await using var running = system;
        var (report, markersOut) = (Path.Combine(_temp.Path, "report.json"), Path.Combine(_temp.Path, "markers.csv"));

        var exit = await LoadRun.Run(new LoadRun.Options(
            url, [new Broker("127.0.0.1", mqtt)], folder, "admin", "simulator-1",
            Connections: 0, Rate: 40, Duration: TimeSpan.FromSeconds(7), FaultEvery: null, Officers: 0, CheckInRate: 0,
            Seed: 3, Report: report, Bare: false, Settle: TimeSpan.FromSeconds(15), Warmup: TimeSpan.FromSeconds(1),
            MarkerEvery: TimeSpan.FromSeconds(2), SiteConsoles: 3, ConsoleSites: 2, MarkersOut: markersOut), CancellationToken.None);

        Assert.Equal(0, exit);
        var result = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        var consoles = result.GetProperty("siteConsoles");
        Assert.Equal(3, consoles.GetProperty("consoles").GetInt32());
        Assert.Equal(2, consoles.GetProperty("sites").GetInt32());
        Assert.Equal(0, consoles.GetProperty("foreign").GetInt64());
        Assert.Equal(0, consoles.GetProperty("missing").GetInt64());

        var lines = await File.ReadAllLinesAsync(markersOut);
        Assert.Equal(MarkerLog.Header, lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var markers = rows.GroupBy(r => (Device: r[0], Value: r[3])).ToList();
        Assert.Equal(result.GetProperty("markers").GetProperty("sent").GetInt32(), markers.Count);
        Assert.Contains(markers, m => m.First()[1] == sites[0].Id);
        Assert.Contains(markers, m => m.First()[1] == sites[1].Id);
        Assert.Equal(consoles.GetProperty("delivered").GetInt64(), rows.Count(r => r[6] != "all"));
        foreach (var marker in markers)
        {
            var site = sites.Single(s => s.Devices.Any(d => d.Id == marker.Key.Device)).Id;
            Assert.All(marker, r => Assert.Equal(site, r[1]));
            Assert.All(marker, r => Assert.Equal($"127.0.0.1:{mqtt}", r[2]));
            string[] expected = site == sites[0].Id ? ["all", "0", "2"] : ["all", "1"];
            Assert.Equal(expected, marker.Select(r => r[6]));
            foreach (var row in marker)
            {
                // The system handled the reading between its sending and its arrival (one machine, one clock).
                var (sent, handled, received) = (DateTimeOffset.Parse(row[4]), DateTimeOffset.Parse(row[5]), DateTimeOffset.Parse(row[7]));
                Assert.InRange(handled, sent, received);
                Assert.Equal((received - sent).TotalMilliseconds, double.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture), 0.002); // times to the µs
            }
        }

        // In the order sent.
        var sentTimes = markers.Select(m => DateTimeOffset.Parse(m.First()[4])).ToList();
        Assert.Equal(sentTimes.Order(), sentTimes);
    }

    [Fact]
    public async Task TheLoadCommandRefusesWhatItCouldOnlyWriteAfterTheRunBeforeItBegins()
    {
        // Nothing listens there: a run that began would wait for the system, not end on its options.
        var nowhere = $"127.0.0.1:{Ports.Free()}";
        string[] target = ["load", "--url", $"http://{nowhere}", "--mqtt", nowhere, "--duration", "5"];
        var missing = Path.Combine(_temp.Path, "missing");

        await using (var simulator = SiloProcess.StartSimulator([.. target, "--markers", "2", "--markers-out", Path.Combine(missing, "markers.csv"), "--report", Path.Combine(missing, "report.json")]))
        {
            Assert.Equal(1, await simulator.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains($"--markers-out: the folder {missing} does not exist", simulator.Output);
            Assert.Contains($"--report: the folder {missing} does not exist", simulator.Output);
        }

        await using (var simulator = SiloProcess.StartSimulator([.. target, "--markers-out", Path.Combine(_temp.Path, "markers.csv")]))
        {
            Assert.Equal(1, await simulator.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("--markers-out writes out the markers of the run: give --markers too", simulator.Output);
        }

        Assert.False(Directory.Exists(missing));
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    /// <summary>The system as a process on the site, written to the file; healthy, with its address and MQTT port.</summary>
    private async Task<(SiloProcess System, Uri Url, int Mqtt)> StartOn(SiteDefinition site, string siteFile)
    {
        await File.WriteAllTextAsync(siteFile, JsonSerializer.Serialize(site, SiteJson.Options));
        return await StartOn(siteFile);
    }

    /// <summary>The system as a process on a site file or a folder of them; healthy, with its address and MQTT port.</summary>
    private async Task<(SiloProcess System, Uri Url, int Mqtt)> StartOn(string siteFile)
    {
        var (http, mqtt) = (Ports.Free(), Ports.Free());
        var system = SiloProcess.Start(
            $"--Urls=http://127.0.0.1:{http}", $"--SafetyPatrol:SiteFile={siteFile}", $"--SafetyPatrol:DataDir={Path.Combine(_temp.Path, "data")}",
            "--SafetyPatrol:AdminPassword=simulator-1", $"--SafetyPatrol:Mqtt:Port={mqtt}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}");
        var url = new Uri($"http://127.0.0.1:{http}");
        try
        {
            await system.WaitUntilHealthy(url.ToString(), TimeSpan.FromSeconds(60));
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }

        return (system, url, mqtt);
    }
}
