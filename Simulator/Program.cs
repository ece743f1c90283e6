using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime;
using System.Text.Json;
using SafetyPatrol.Simulator.Bench;
using SafetyPatrol.Simulator.Load;
using SafetyPatrol.Simulator.Sites;
using SafetyPatrol.Sites;

// The simulator is the clock of every latency it reports: a blocking full collection of its own stalls every device and
// console it runs, and the stall is counted as the system's (a 125 ms gen2 of the simulator's made the ten slowest
// markers of a bench/sites.sh run while the node collected nothing, docs/benchmarks.md). Its full collections run in the
// background instead, unless memory runs short.
GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

var root = new RootCommand("SafetyPatrol simulator: site generator, demo driver, load driver and benchmarks.");

// generate ---------------------------------------------------------------------------------
var campuses = new Option<int>("--campuses") { Description = "Number of campuses", DefaultValueFactory = _ => 1 };
var rooms = new Option<int>("--rooms-per-building") { Description = "Rooms in each of the 6 buildings of a campus", DefaultValueFactory = _ => 8 };
var devices = new Option<int>("--devices-per-room") { Description = "Devices in each room", DefaultValueFactory = _ => 2 };
var checkpoints = new Option<int>("--checkpoints-per-campus") { Description = "Checkpoints on each campus", DefaultValueFactory = _ => 30 };
var every = new Option<int>("--checkpoint-every") { Description = "everyMinutes of the checkpoints", DefaultValueFactory = _ => 120 };
var fast = new Option<int>("--fast-checkpoints") { Description = "How many checkpoints are due every 1-3 minutes (grace 0)", DefaultValueFactory = _ => 0 };
var heartbeat = new Option<int>("--heartbeat") { Description = "heartbeatSeconds of the devices", DefaultValueFactory = _ => 300 };
var doors = new Option<int>("--doors-per-campus") { Description = "Door contacts on each campus, spread over its rooms, in one door zone per campus", DefaultValueFactory = _ => 0 };
var doorSchedule = new Option<string>("--door-schedule") { Description = "nightly: the door zone is armed 22:00-06:00; none: only when an operator arms it (school hours)", DefaultValueFactory = _ => "nightly" };
doorSchedule.AcceptOnlyFromAmong("nightly", "none");
var security = new Option<bool>("--security") { Description = "Give each campus a perimeter (beams in a nightly zone), gate cameras and a panic button" };
var seed = new Option<int>("--seed") { Description = "Random seed (secrets and codes follow from it)", DefaultValueFactory = _ => 1 };
var output = new Option<FileInfo>("--out") { Description = "Site file to write (with --split: the folder to write one site file per campus into)", Required = true };
var split = new Option<bool>("--split") { Description = "Each campus a site of its own: one site file per campus in the --out folder (a district of many sites)" };
var generate = new Command("generate", "Write a valid site file of N generated campuses") { campuses, rooms, devices, checkpoints, every, fast, heartbeat, doors, doorSchedule, security, seed, output, split };
generate.SetAction(async (parse, cancellationToken) =>
{
    var generatorOptions = new GeneratorOptions
    {
        Campuses = parse.GetValue(campuses),
        RoomsPerBuilding = parse.GetValue(rooms),
        DevicesPerRoom = parse.GetValue(devices),
        CheckpointsPerCampus = parse.GetValue(checkpoints),
        CheckpointEveryMinutes = parse.GetValue(every),
        FastCheckpoints = parse.GetValue(fast),
        HeartbeatSeconds = parse.GetValue(heartbeat),
        DoorsPerCampus = parse.GetValue(doors),
        DoorsArmedNightly = parse.GetValue(doorSchedule) == "nightly",
        Security = parse.GetValue(security),
        Seed = parse.GetValue(seed),
    };
    if (parse.GetValue(split))
    {
        var folder = new DirectoryInfo(parse.GetValue(output)!.FullName);
        folder.Create();
        var count = 0;
        foreach (var one in SiteGenerator.GenerateSites(generatorOptions))
        {
            var path = Path.Combine(folder.FullName, one.Id + ".json");
            if (SiteValidator.Validate(one, path) is { Count: > 0 } wrong)
            {
                Console.Error.WriteLine(new SiteInvalidException(wrong).Message);
                return 2;
            }

            await using (var stream = File.Create(path))
            {
                await JsonSerializer.SerializeAsync(stream, one, SiteJson.Options, cancellationToken);
            }

            if (++count % 100 == 0)
            {
                Console.WriteLine($"  {count:N0} sites written ...");
            }
        }

        Console.WriteLine($"Wrote {count:N0} site files to {folder.FullName}");
        return 0;
    }

    var site = SiteGenerator.Generate(generatorOptions);
    var file = parse.GetValue(output)!;
    var problems = SiteValidator.Validate(site, file.FullName);
    if (problems.Count > 0)
    {
        Console.Error.WriteLine(new SiteInvalidException(problems).Message);
        return 2;
    }

    await using (var stream = file.Create())
    {
        await JsonSerializer.SerializeAsync(stream, site, SiteJson.Options, cancellationToken);
    }

    Console.WriteLine($"Wrote {file.FullName}: {site.Buildings.Count:N0} buildings, {site.Buildings.Sum(b => b.Rooms.Count):N0} rooms, "
        + $"{site.Devices.Count:N0} devices, {site.Checkpoints.Count:N0} checkpoints, {site.Routes.Count:N0} routes"
        + (site.Zones.Count > 0 ? $", {site.Zones.Count:N0} security zones" : ""));
    return 0;
});
root.Subcommands.Add(generate);

// overdue-bench ----------------------------------------------------------------------------
var url = new Option<Uri>("--url")
{
    Description = "The system's HTTP address",
    DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
    CustomParser = result => Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) ? uri : null,
};
var user = new Option<string>("--user") { Description = "User to sign in as", DefaultValueFactory = _ => "admin" };
var password = new Option<string>("--password") { Description = "Password", DefaultValueFactory = _ => "demo1234" };
var siteFile = new Option<FileInfo>("--site") { Description = "The site file the system runs on", Required = true };
var pid = new Option<int>("--pid") { Description = "The server's process id (for CPU and memory)", Required = true };
var duration = new Option<int>("--duration") { Description = "Seconds to watch overdue alerts", DefaultValueFactory = _ => 240 };
var idleWindow = new Option<int>("--idle") { Description = "Seconds of idle CPU measurement after the watch", DefaultValueFactory = _ => 60 };
var report = new Option<FileInfo?>("--report") { Description = "Write the figures as JSON to this file" };
report.Validators.Add(InAFolderThatExists);
var overdue = new Command("overdue-bench", "Measure overdue detection lateness, idle CPU and memory against a running system") { url, user, password, siteFile, pid, duration, idleWindow, report };
overdue.SetAction((parse, cancellationToken) => OverdueBench.Run(new OverdueBench.Options(
    parse.GetValue(url)!, parse.GetValue(user)!, parse.GetValue(password)!, parse.GetValue(siteFile)!.FullName, parse.GetValue(pid),
    TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(idleWindow)), parse.GetValue(report)?.FullName), cancellationToken));
root.Subcommands.Add(overdue);

// load / demo -------------------------------------------------------------------------------
var mqtt = new Option<string>("--mqtt") { Description = "MQTT host:port; several, separated by commas, spread the devices over a cluster's nodes", DefaultValueFactory = _ => "127.0.0.1:1883" };
mqtt.Validators.Add(result =>
{
    if (result.GetValueOrDefault<string>() is { } text && Broker.ParseList(text) is null)
    {
        result.AddError($"--mqtt takes host:port, or several separated by commas (not \"{text}\")");
    }
});
var connections = new Option<int>("--connections") { Description = "Devices to connect, one MQTT connection each (0: every device of the site)", DefaultValueFactory = _ => 0 };
var rate = new Option<double>("--rate") { Description = "Readings a second in all (0: as fast as acknowledged)", DefaultValueFactory = _ => 1000 };
var seconds = new Option<int>("--duration") { Description = "Seconds to run (0: until Ctrl+C)", DefaultValueFactory = _ => 60 };
var faultEvery = new Option<double>("--fault-every") { Description = "Seconds between injected faults, on average (0: none)", DefaultValueFactory = _ => 10 };
var officerCount = new Option<int>("--officers") { Description = "Patrol officers walking the checkpoints", DefaultValueFactory = _ => 2 };
var checkInRate = new Option<double>("--checkin-rate") { Description = "Check-ins a second in all", DefaultValueFactory = _ => 2 };
var bare = new Option<bool>("--bare") { Description = "Target is the bare broker: MQTT only, no API, console or faults" };
var qos = new Option<int>("--qos") { Description = "QoS of telemetry: 1 (acknowledged once handled) or 0 (fire and forget; throughput is then counted by the server)", DefaultValueFactory = _ => 1 };
var bareStats = new Option<FileInfo?>("--bare-stats") { Description = "With --bare: the bare broker's --stats-file, to count what it parsed" };
var warmup = new Option<int>("--warmup") { Description = "Seconds before the first fault", DefaultValueFactory = _ => 10 };
var settle = new Option<int>("--settle") { Description = "Seconds to wait after the run for the last faults' alerts", DefaultValueFactory = _ => 30 };
var loadSite = new Option<FileInfo>("--site") { Description = "The site file (or folder of site files) the system runs on (device secrets, checkpoint codes)", DefaultValueFactory = _ => new FileInfo(DemoSite()) };

var doorTraffic = new Option<bool>("--door-traffic") { Description = "Door contacts open and close with each reading (people passing in school hours) instead of staying shut" };
var webhookPort = new Option<int>("--webhook-port") { Description = "Listen for the system's webhook deliveries on this port (/hook; /hang never answers) and measure fault → delivery" };
var markerEvery = new Option<double>("--markers") { Description = "Every this many seconds each device (staggered) sends one reading past an immediate threshold with a unique value, then a normal one; a console times each until its alert shows that value (0: none)" };
var drain = new Option<bool>("--drain") { Description = "After the run, wait until the server's count stops moving and report how long it went on after the last publish; readings per second count only what it took by the last publish" };
var siteConsoles = new Option<int>("--site-consoles") { Description = "With a folder of sites: open this many consoles of one site each, over the first --console-sites sites; each times its site's markers and counts any other site's alert it receives" };
var inStep = new Option<bool>("--in-step") { Description = "Every device begins its period at the same moment, so all send together (a fleet powered on at once), instead of each at a random point of it" };
var markersOut = new Option<FileInfo?>("--markers-out") { Description = "With --markers: write every marker as CSV, one row per console that timed it (when sent, through which node, when received)" };
var consoleSites = new Option<int>("--console-sites") { Description = "The sites the --site-consoles are spread over (the first ones, in file order)", DefaultValueFactory = _ => 1 };
var load = new Command("load", "Drive a running system (or the bare broker) and measure it") { url, mqtt, loadSite, user, password, connections, rate, seconds, faultEvery, officerCount, checkInRate, seed, report, bare, settle, qos, bareStats, warmup, webhookPort, doorTraffic, markerEvery, drain, siteConsoles, consoleSites, inStep, markersOut };
markersOut.Validators.Add(InAFolderThatExists);
load.Validators.Add(result =>
{
    if (result.GetValue(markersOut) is not null && result.GetValue(markerEvery) is not > 0)
    {
        result.AddError("--markers-out writes out the markers of the run: give --markers too (seconds between a device's markers)");
    }
});
load.SetAction((parse, cancellationToken) => LoadRun.Run(LoadOptions(parse), cancellationToken));
root.Subcommands.Add(load);

var demo = new Command("demo", "Make the README's demo campus feel alive: gentle telemetry, an officer on patrol, an occasional fault (Ctrl+C stops)") { url, mqtt, loadSite, user, password };
demo.SetAction((parse, cancellationToken) => LoadRun.Run(LoadOptions(parse) with
{
    Connections = 0, Rate = 20, Duration = null, FaultEvery = TimeSpan.FromSeconds(45), Officers = 1, CheckInRate = 0.2, Seed = Environment.TickCount, Settle = TimeSpan.Zero,
    Warmup = TimeSpan.FromSeconds(15),
}, cancellationToken));
root.Subcommands.Add(demo);

var scenario = new Option<string>("--scenario") { Description = "normal: a normal day of running; blip: the network drops every device at once", DefaultValueFactory = _ => "normal" };
scenario.AcceptOnlyFromAmong("normal", "blip");
var minutes = new Option<int>("--minutes") { Description = "How long the normal scenario runs", DefaultValueFactory = _ => 20 };
var faultMinutes = new Option<double>("--fault-every-minutes") { Description = "Normal scenario: a fault this often on average", DefaultValueFactory = _ => 15 };
var alarmLoad = new Command("alarm-load", "Measure the alarm load an operator gets (ISA-18.2): a normal day, or a network blip with and without grouping")
    { url, mqtt, loadSite, user, password, scenario, minutes, faultMinutes, officerCount, report };
alarmLoad.SetAction((parse, cancellationToken) => AlarmLoadRun.Run(new AlarmLoadRun.Options(
    parse.GetValue(url)!, Broker.ParseList(parse.GetValue(mqtt)!)!, parse.GetValue(loadSite)!.FullName, parse.GetValue(user)!, parse.GetValue(password)!,
    parse.GetValue(scenario)!, TimeSpan.FromMinutes(parse.GetValue(minutes)), TimeSpan.FromMinutes(parse.GetValue(faultMinutes)), parse.GetValue(officerCount),
    parse.GetValue(report)?.FullName), cancellationToken));
root.Subcommands.Add(alarmLoad);

var barePort = new Option<int>("--port") { Description = "TCP port", DefaultValueFactory = _ => 1884 };
var statsFile = new Option<FileInfo?>("--stats-file") { Description = "Write the parsed count here ten times a second" };
var bareBroker = new Command("bare-broker", "Run a bare MQTTnet broker that only parses and counts (the benchmark's ceiling)") { barePort, statsFile };
bareBroker.SetAction((parse, cancellationToken) => BareBroker.Run(parse.GetValue(barePort), parse.GetValue(statsFile)?.FullName, cancellationToken));
root.Subcommands.Add(bareBroker);

return await root.Parse(args).InvokeAsync();

LoadRun.Options LoadOptions(ParseResult parse)
{
    var duration = parse.GetValue(seconds);
    var faultSeconds = parse.GetValue(faultEvery);
    return new LoadRun.Options(
        parse.GetValue(url)!, Broker.ParseList(parse.GetValue(mqtt)!)!, parse.GetValue(loadSite)!.FullName, parse.GetValue(user)!, parse.GetValue(password)!,
        parse.GetValue(connections), parse.GetValue(rate), duration > 0 ? TimeSpan.FromSeconds(duration) : null,
        faultSeconds > 0 ? TimeSpan.FromSeconds(faultSeconds) : null, parse.GetValue(officerCount), parse.GetValue(checkInRate),
        parse.GetValue(seed), parse.GetValue(report)?.FullName, parse.GetValue(bare), TimeSpan.FromSeconds(parse.GetValue(settle)),
        parse.GetValue(qos), parse.GetValue(bareStats)?.FullName, TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(webhookPort),
        parse.GetValue(doorTraffic), parse.GetValue(markerEvery) is > 0 and var marks ? TimeSpan.FromSeconds(marks) : null, parse.GetValue(drain),
        parse.GetValue(siteConsoles), parse.GetValue(consoleSites), parse.GetValue(inStep), parse.GetValue(markersOut)?.FullName);
}

// A file written when a run ends: a folder that is not there is said before the run, not after minutes of measuring.
static void InAFolderThatExists(OptionResult result)
{
    if (result.GetValueOrDefault<FileInfo?>() is { Directory: { Exists: false } folder })
    {
        result.AddError($"{result.Option.Name}: the folder {folder.FullName} does not exist");
    }
}

// The demo campus beside the simulator, or in the repository when run with dotnet run.
static string DemoSite() =>
    new[] { Path.Combine(AppContext.BaseDirectory, "sites", "demo-campus.json"), Path.Combine("sites", "demo-campus.json") }.FirstOrDefault(File.Exists)
    ?? Path.Combine("sites", "demo-campus.json");
