using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Silo.Notifications;
using SafetyPatrol.Sites;
using SafetyPatrol.Patrols;
using SafetyPatrol.Push;
using SafetyPatrol.Security;
using SafetyPatrol.Tickets;
using SafetyPatrol.Visitors;
using SafetyPatrol.Users;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// Brings the site up once the silo runs. Ready (for <c>/health</c>) as soon as the users are set and
/// the rooms with unresolved alerts have rebuilt their aggregates: readings and check-ins are taken
/// from then on, since their grains activate on demand. Then every device, checkpoint and route is
/// activated in the background, so silence and due times are watched also for those that never speak.
/// </summary>
public sealed partial class SiteBootstrapper(
    IGrainFactory grains,
    SiteCatalog catalog,
    IAlertStore alerts,
    ITicketStore tickets,
    IVisitorStore visitors,
    IOptions<SafetyPatrolOptions> options,
    SiteReadiness readiness,
    IClusterMembershipService membership,
    NotificationSender notifications,
    AlarmHandlingMigration handlingMigration,
    SiteSource source,
    ILogger<SiteBootstrapper> logger) : BackgroundService
{
    public const string DemoPassword = "demo1234";

    private const long MiB = 1024 * 1024;

    /// <summary>The memory committed by the GC above which the start's is given back (see <see cref="GiveBackStartMemory"/>).</summary>
    private const long GiveBackAbove = 512 * MiB;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        var settings = options.Value;
        // The silo's push worker is active and knows the web hosts before the first event (ConsolePushGrain).
        await UntilThrough("the console push", () => grains.GetGrain<IConsolePushGrain>(0).Prepare(), stoppingToken);
        await UntilThrough("the users", async () =>
        {
            await grains.GetGrain<IUserGrain>("admin").Ensure(settings.AdminPassword ?? DemoPassword, Roles.Admin, "系统管理员 Administrator");
            if (settings.Demo)
            {
                await grains.GetGrain<IUserGrain>("operator").Ensure(DemoPassword, Roles.Operator, "值班室 Control room");
                await grains.GetGrain<IUserGrain>("officer").Ensure(DemoPassword, Roles.Officer, "巡逻员 Patrol officer");
                await grains.GetGrain<IUserGrain>("guard").Ensure(DemoPassword, Roles.Guard, "门卫 Gate guard");
                await grains.GetGrain<IUserGrain>("technician").Ensure(DemoPassword, Roles.Technician, "维修工 Technician");
            }
        }, stoppingToken);

        // Rooms start clear and online; only those with unresolved alerts rebuild their aggregate now.
        var unresolved = await alerts.Query(new AlertQuery("unresolved", Limit: int.MaxValue));
        var rooms = unresolved.Select(a => a.RoomId).OfType<string>().Where(catalog.Rooms.ContainsKey).Distinct().ToList();
        await InBatches(rooms, id => grains.GetGrain<IRoomGrain>(id).GetStatus(), stoppingToken);
        (int Periods, int Drills, int Dropped) handed = default;
        await UntilThrough("the alarm handling", async () => handed = await handlingMigration.Run(), stoppingToken);
        if (handed != default)
        {
            LogHandlingHanded(handed.Periods, handed.Drills, handed.Dropped);
        }

        await ProposeStartText(stoppingToken);
        GiveBackStartMemory();
        readiness.Ready = true;
        LogReady(string.Join(", ", catalog.Sites.Keys.Take(3)) + (catalog.Sites.Count > 3 ? $" and {catalog.Sites.Count - 3} more" : ""), catalog.Buildings.Count, catalog.Rooms.Count, catalog.Devices.Count, catalog.Checkpoints.Count, clock.ElapsedMilliseconds);

        // Deadlines live in each silo's memory: when a silo dies, what it watched is started again on the others. Those
        // dead already are known before the first watch, so that one dying while it runs is watched again after it.
        HashSet<SiloAddress> dead = [.. Dead(membership.CurrentSnapshot)];
        await Watch(stoppingToken);
        LogWatching(catalog.Devices.Count, catalog.Checkpoints.Count, catalog.Routes.Count, clock.ElapsedMilliseconds);

        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            var newlyDead = Dead(snapshot).Where(d => !dead.Contains(d)).ToList();
            dead.UnionWith(newlyDead);
            if (newlyDead.Count > 0)
            {
                var again = Stopwatch.StartNew();
                await Watch(stoppingToken);
                LogWatchingAgain(string.Join(", ", newlyDead), again.ElapsedMilliseconds);

                // What it was sending out, a survivor sends on; what it was pushing when it died never arrived: every console loads its view again.
                await notifications.TakeOver();
                var lost = string.Join(", ", newlyDead);
                grains.GetGrain<IConsolePushGrain>(0).Push(new ConsoleEvent(ConsoleEvent.ResyncNeeded,
                    new Resync("nodeLost", lost, DateTimeOffset.UtcNow), $"lost/{lost}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).Ignore();
            }
        }
    }

    private static IEnumerable<SiloAddress> Dead(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress);

    /// <summary>
    /// Activates every unresolved alert, device, checkpoint, route, unfinished repair ticket, security zone, building's
    /// alarm handling and visitor on site, wherever it is placed, so each plans its deadlines (escalation, shelving,
    /// silence, due times, repair limits, arming windows, ends of repairs and drills, expected departures).
    /// </summary>
    private async Task Watch(CancellationToken stoppingToken)
    {
        var open = await alerts.Query(new AlertQuery("unresolved", Limit: int.MaxValue));
        await InBatches(open.Select(a => a.Id), id => grains.GetGrain<IAlertGrain>(id).Get(), stoppingToken);
        await InBatches(catalog.Devices.Keys, id => grains.GetGrain<IDeviceGrain>(id).Start(), stoppingToken);
        await InBatches(catalog.Checkpoints.Keys, id => grains.GetGrain<ICheckpointGrain>(id).Start(), stoppingToken);
        await InBatches(catalog.Routes.Keys, id => grains.GetGrain<IRouteGrain>(id).Start(), stoppingToken);
        var unfinished = await tickets.QueryTickets(new TicketQuery("unfinished", Limit: int.MaxValue));
        await InBatches(unfinished.Select(t => t.Id), id => grains.GetGrain<ITicketGrain>(id).Start(), stoppingToken);
        await InBatches(catalog.Zones.Keys, id => grains.GetGrain<IZoneGrain>(id).Start(), stoppingToken);
        await InBatches(catalog.Buildings.Keys, id => grains.GetGrain<IAlarmHandlingGrain>(id).Start(), stoppingToken);
        var onSite = await visitors.QueryVisitors(new VisitorQuery(OnSite: true, Limit: int.MaxValue));
        await InBatches(onSite.Select(v => v.Id), id => grains.GetGrain<IVisitorGrain>(id).Start(), stoppingToken);
    }

    /// <summary>
    /// Calls every grain, 100 at a time. A call that fails (its grain was on a silo that has just died and
    /// the cluster has not caught up yet) is tried again a second later, until it goes through.
    /// </summary>
    /// <remarks>
    /// The node takes requests while this runs, and a request waits behind the activations already queued: with 500 at a
    /// time the district overview of 1,000 sites first answered in 400-830 ms during the wake, with 100 in 230-330 ms,
    /// and the wake itself took no longer (15-19 s for 152,000 grains either way).
    /// </remarks>
    private async Task InBatches(IEnumerable<string> ids, Func<string, Task> start, CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(100))
        {
            IReadOnlyList<string> pending = chunk;
            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
                await Task.WhenAll(pending.Select(async id =>
                {
                    try
                    {
                        await start(id);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        failed.Add(id);
                    }
                }));
                pending = [.. failed];
                if (pending.Count > 0)
                {
                    LogRetrying(pending.Count, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// Proposes the text this node started on to the cluster (<see cref="ISiteConfigGrain"/>), as the first thing it says
    /// of its site: a file edited while the cluster was down wins. A step of the start, so that what it takes (at 1,000
    /// sites a text of 48 MB hashed, and on the first start parsed and compressed by the grain) is given back with the
    /// start's memory, not left on a node at work. A text the cluster holds already (a node restarted, or the other node
    /// was first) is not sent. Its own method, so that the text (96 MB) is held by this call alone, not by the start's
    /// for as long as the node runs. A node given its site directly (a test cluster) has no text to propose.
    /// </summary>
    private async Task ProposeStartText(CancellationToken stoppingToken)
    {
        if (source.TakeStartText() is not { } text)
        {
            return;
        }

        var config = grains.GetGrain<ISiteConfigGrain>(0);
        await UntilThrough("the site file", async () =>
        {
            if (await config.VersionOf(SiteConfigGrain.HashOf(text)) is { } agreed)
            {
                catalog.Agreed(agreed);
                return;
            }

            var proposal = await config.Propose(text, source.Path ?? "site");
            if (proposal.Problems.Count > 0)
            {
                // The cluster's version stays, and this node applies it once ready (SiteReloader).
                LogStartTextRefused(proposal.Problems.Count, string.Join(Environment.NewLine, proposal.Problems.Select(p => "  - " + p)));
                return;
            }

            // The catalog this node started on is that version's text.
            catalog.Agreed(proposal.Version);
            if (proposal.Changed)
            {
                LogStartTextAgreed(proposal.Version);
            }
        }, stoppingToken);
    }

    /// <summary>
    /// A step of the start, tried again a second later while it fails because a silo has just died and the cluster has
    /// not caught up yet. A node starting while another died stopped itself: the call of its start that went to the dead
    /// silo failed, and a failed start stops the host (FailoverTests found it).
    /// </summary>
    private async Task UntilThrough(string step, Func<Task> run, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await run();
                return;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                LogStepRetrying(step, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reading and checking the site file leaves its copies behind (at 1,000 campuses a 48 MB file read, hashed,
    /// compressed and parsed), and the server GC keeps the memory they took. A node that holds more than
    /// <see cref="GiveBackAbove"/> once the site is read collects once, aggressively, which returns it to the system:
    /// about 300 MiB at 100,000 devices, for a pause of 110–130 ms before the node takes its first reading
    /// (docs/benchmarks-notes.md, memory (d)). A small site never holds that much and is not paused. Done after the
    /// wake instead, it returned 1 GB but paused a node already taking readings for 0.7–1.1 s, and its first alarms
    /// waited up to 2.6 s.
    /// </summary>
    private void GiveBackStartMemory()
    {
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        if (committed < GiveBackAbove)
        {
            return;
        }

        var pause = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogGaveBack(committed / MiB, GC.GetGCMemoryInfo().TotalCommittedBytes / MiB, pause.ElapsedMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory the start used given back: {Before} MiB committed, {After} MiB after one collection of {Elapsed} ms")]
    private partial void LogGaveBack(long before, long after, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "The site file was accepted as version {Version}")]
    private partial void LogStartTextAgreed(int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The site file this node started on was refused by the cluster, whose version stays. {Count} problem(s):\n{Problems}")]
    private partial void LogStartTextRefused(int count, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm handling moved to each building: {Periods} out-of-service periods and {Drills} drills; {Dropped} of buildings no longer on site dropped")]
    private partial void LogHandlingHanded(int periods, int drills, int dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} grains could not be started (attempt {Attempt}); trying again")]
    private partial void LogRetrying(int count, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting {Step} failed (attempt {Attempt}: {Reason}); trying again in 1 s")]
    private partial void LogStepRetrying(string step, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {Site} ready: {Buildings} buildings, {Rooms} rooms, {Devices} devices, {Checkpoints} checkpoints in {Elapsed} ms")]
    private partial void LogReady(string site, int buildings, int rooms, int devices, int checkpoints, long elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silos} is dead: every device, checkpoint, route and open alert is watched again after {Elapsed} ms")]
    private partial void LogWatchingAgain(string silos, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching all {Devices} devices, {Checkpoints} checkpoints and {Routes} routes after {Elapsed} ms")]
    private partial void LogWatching(int devices, int checkpoints, int routes, long elapsed);
}

/// <summary>Whether the site has been started; <c>/health</c> answers 200 only then.</summary>
public sealed class SiteReadiness : IHealthCheck
{
    public volatile bool Ready;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The site is still starting."));
}
