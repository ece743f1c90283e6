using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;
using SafetyPatrol.Users;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// Runs once the silo is up and before the listeners open: sets the built-in users and activates
/// every room and device, so heartbeats are watched from the first second and the console's
/// aggregates are complete.
/// </summary>
public sealed partial class SiteBootstrapper(
    IGrainFactory grains,
    SiteCatalog catalog,
    IAlertStore alerts,
    IOptions<SafetyPatrolOptions> options,
    SiteReadiness readiness,
    ILogger<SiteBootstrapper> logger) : IHostedService
{
    public const string DemoPassword = "demo1234";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var settings = options.Value;
        await grains.GetGrain<IUserGrain>("admin").Ensure(settings.AdminPassword ?? DemoPassword, Roles.Admin, "Administrator");
        if (settings.Demo)
        {
            await grains.GetGrain<IUserGrain>("operator").Ensure(DemoPassword, Roles.Operator, "Control room");
            await grains.GetGrain<IUserGrain>("officer").Ensure(DemoPassword, Roles.Officer, "Patrol officer");
        }

        // Rooms start clear and online; only those with unresolved alerts rebuild their aggregate now.
        var phase = Stopwatch.StartNew();
        var unresolved = await alerts.Query(new AlertQuery("unresolved", Limit: int.MaxValue));
        var rooms = unresolved.Select(a => a.RoomId).OfType<string>().Where(catalog.Rooms.ContainsKey).Distinct().ToList();
        await InBatches(rooms, id => grains.GetGrain<IRoomGrain>(id).GetStatus(), cancellationToken);
        LogPhase("rooms with unresolved alerts", rooms.Count, phase.ElapsedMilliseconds);
        phase.Restart();
        await InBatches(catalog.Checkpoints.Keys, id => grains.GetGrain<ICheckpointGrain>(id).Start(), cancellationToken);
        LogPhase("checkpoints", catalog.Checkpoints.Count, phase.ElapsedMilliseconds);
        phase.Restart();
        await InBatches(catalog.Devices.Keys, id => grains.GetGrain<IDeviceGrain>(id).Start(), cancellationToken);
        LogPhase("devices", catalog.Devices.Count, phase.ElapsedMilliseconds);
        phase.Restart();
        await InBatches(catalog.Routes.Keys, id => grains.GetGrain<IRouteGrain>(id).Start(), cancellationToken);
        LogPhase("routes", catalog.Routes.Count, phase.ElapsedMilliseconds);

        readiness.Ready = true;
        LogReady(catalog.Site.Id, catalog.Site.Buildings.Count, catalog.Rooms.Count, catalog.Devices.Count, catalog.Checkpoints.Count, clock.ElapsedMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task InBatches(IEnumerable<string> ids, Func<string, Task> start, CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(500))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAll(chunk.Select(start));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Count} {Kind} in {Elapsed} ms")]
    private partial void LogPhase(string kind, int count, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {Site} ready: {Buildings} buildings, {Rooms} rooms, {Devices} devices, {Checkpoints} checkpoints in {Elapsed} ms")]
    private partial void LogReady(string site, int buildings, int rooms, int devices, int checkpoints, long elapsed);
}

/// <summary>Whether the site has been started; <c>/health</c> answers 200 only then.</summary>
public sealed class SiteReadiness : IHealthCheck
{
    public volatile bool Ready;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The site is still starting."));
}
