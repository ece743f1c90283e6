using SafetyPatrol.Alerts;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Web.Auth;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Web.Api;

public static class SiteEndpoints
{
    public static void MapSiteEndpoints(this IEndpointRouteBuilder app)
    {
        // docs/interface.md §13: without siteId, the first site the user sees.
        app.MapGet("/api/site", async (string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            await grains.GetGrain<ISiteGrain>(0).GetSite(await scope.SiteFor(http.User, siteId)) is { } site
                ? Results.Ok(site)
                : ApiProblem.NotFound("noSite", ("id", siteId)))
            .WithSummary("A site: buildings, rooms, devices and checkpoints, with live totals")
            .RequireAuthorization(Policies.Reader).InScope();

        app.MapGet("/api/sites", async (HttpContext http, SiteScope scope) => await scope.OfAccount(http.User))
            .WithSummary("The sites the user's account sees (whatever site the page shows), in site order")
            .RequireAuthorization();

        // For every signed-in page (the phone's and the gate's too, which may not read the site): times on the site's clock.
        app.MapGet("/api/site/clock", async (string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            await grains.GetGrain<ISiteGrain>(0).TimeZone(await scope.SiteFor(http.User, siteId)) is { } zone
                ? Results.Ok(new SiteClock(zone))
                : ApiProblem.NotFound("noSite", ("id", siteId)))
            .WithSummary("A site's time zone, so every page shows times on the site's wall clock")
            .RequireAuthorization().InScope();

        // docs/interface.md §12: the site file is read again and, when valid, every node applies it within seconds.
        app.MapPost("/api/site/reload", async (IGrainFactory grains) =>
        {
            var proposal = await grains.GetGrain<ISiteConfigGrain>(0).ReloadFromFile();
            return proposal.Problems.Count > 0
                ? Results.Problem(string.Join(Environment.NewLine, proposal.Problems), statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The site file was refused; the running site is unchanged.",
                    extensions: new Dictionary<string, object?> { ["problems"] = proposal.Problems })
                : Results.Ok(new { version = proposal.Version, changed = proposal.Changed });
        })
            .WithSummary("Read the site file again and apply what changed, without a restart")
            .RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/devices/{id}", async (string id, IGrainFactory grains) =>
            await Device(grains, id) is { } device ? Results.Ok(device) : NoDevice(id))
            .WithSummary("A device's status: online, last readings and heartbeat")
            .RequireAuthorization(Policies.Reader).InScope(routeIdIsPlace: true);

        // Alarm handling (docs/interface.md §9): repairs and drills keep alarms from the operator, on purpose and for a time.
        // A device, room or building of a site the user does not see is not there (docs/interface.md §13).
        var handling = app.MapGroup("/api").RequireAuthorization(Policies.Reader).InScope(routeIdIsPlace: true);
        handling.MapPut("/devices/{id}/out-of-service", async (string id, OutOfServiceRequest? body, HttpContext http, IGrainFactory grains, TimeProvider time) =>
        {
            if (!await grains.GetGrain<ISiteGrain>(0).HasDevice(id))
            {
                return NoDevice(id);
            }

            if (Invalid(body, time) is { } invalid)
            {
                return invalid;
            }

            var device = (await grains.GetGrain<IDeviceGrain>(id).GetStatus())!;
            await grains.GetGrain<IAlarmHandlingGrain>(device.BuildingId).SetOutOfService(OutOfService.Device, id, body!.Until, http.User.UserName(), TextLimits.Clean(body.Note)!);
            return Results.Ok(await Device(grains, id));
        }).WithSummary("Take a device out of service: its alarms are suppressed until it is back").RequireAuthorization(Policies.Operator);

        handling.MapDelete("/devices/{id}/out-of-service", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (!await grains.GetGrain<ISiteGrain>(0).HasDevice(id))
            {
                return NoDevice(id);
            }

            var device = (await grains.GetGrain<IDeviceGrain>(id).GetStatus())!;
            await grains.GetGrain<IAlarmHandlingGrain>(device.BuildingId).Lift(OutOfService.Device, id, http.User.UserName());
            return Results.Ok(await Device(grains, id));
        }).WithSummary("Put a device back in service").RequireAuthorization(Policies.Operator);

        handling.MapPut("/rooms/{id}/out-of-service", async (string id, OutOfServiceRequest? body, HttpContext http, IGrainFactory grains, SiteScope scope, TimeProvider time) =>
        {
            if (await BuildingOfRoom(grains, scope, id) is not { } building)
            {
                return ApiProblem.NotFound("noRoom", ("id", id));
            }

            return Invalid(body, time)
                ?? Results.Ok(await grains.GetGrain<IAlarmHandlingGrain>(building).SetOutOfService(OutOfService.Room, id, body!.Until, http.User.UserName(), TextLimits.Clean(body.Note)!));
        }).WithSummary("Take a room out of service: its devices' alarms are suppressed").RequireAuthorization(Policies.Operator);

        handling.MapDelete("/rooms/{id}/out-of-service", async (string id, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            await BuildingOfRoom(grains, scope, id) is { } building && await grains.GetGrain<IAlarmHandlingGrain>(building).Lift(OutOfService.Room, id, http.User.UserName())
                ? Results.NoContent()
                : ApiProblem.NotFound("roomInService", ("id", id)))
                    .WithSummary("Put a room back in service").RequireAuthorization(Policies.Operator);

        handling.MapGet("/out-of-service", async (HttpContext http, IGrainFactory grains, SiteScope scope) =>
                await grains.GetGrain<IAlarmHandlingQueryGrain>(0).OutOfServiceNow(SiteScope.Filter(http.User)))
            .WithSummary("Devices and rooms out of service now, by whom and until when");

        handling.MapPost("/buildings/{id}/drill", async (string id, DrillRequest? body, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (!(await SiteOf(grains, scope, id) is { } site && site.Buildings.Any(b => b.Id == id)))
            {
                return ApiProblem.NotFound("noBuilding", ("id", id));
            }

            var errors = HandlingRequest.Problems(body?.Note, body?.Minutes, minutesRequired: true);
            return errors.Count > 0
                ? ApiProblem.Invalid(errors)
                : Results.Ok(await grains.GetGrain<IAlarmHandlingGrain>(id).StartDrill(TimeSpan.FromMinutes(body!.Minutes!.Value), http.User.UserName(), TextLimits.Clean(body.Note)!));
        }).WithSummary("Start a fire drill in a building: its alarms are marked as the drill's").RequireAuthorization(Policies.Operator);

        handling.MapGet("/drills", async (string? buildingId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
                buildingId is null ? await grains.GetGrain<IAlarmHandlingQueryGrain>(0).Drills(SiteScope.Filter(http.User))
                : await scope.Keep(http.User, await grains.GetGrain<IAlarmHandlingGrain>(buildingId).Drills(), d => [d.BuildingId]))
            .WithSummary("Drills, running and past");

        // What fired during a drill, when, and how fast it was acknowledged.
        handling.MapGet("/drills/{id}/report", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if ((await grains.GetGrain<IAlarmHandlingQueryGrain>(0).Drills(SiteScope.Filter(http.User))).FirstOrDefault(d => d.Id == id) is not { } drill)
            {
                return ApiProblem.NotFound("noDrill", ("id", id));
            }

            var alerts = await grains.GetGrain<IAlertQueryGrain>(0).Query(new AlertQuery("all", BuildingId: drill.BuildingId, Limit: 10_000));
            var fired = alerts.Where(a => a.DrillId == drill.Id).OrderBy(a => a.RaisedAt)
                .Select(a => new DrillAlert(a.Id, a.Type, a.Severity, a.RoomId, a.DeviceId ?? a.CheckpointId, a.RaisedAt, a.AcknowledgedAt, a.AcknowledgedBy,
                    a.AcknowledgedAt is { } at ? Math.Round((at - a.RaisedAt).TotalSeconds, 1) : null))
                .ToList();
            var acknowledged = fired.Where(f => f.SecondsToAcknowledge is not null).Select(f => f.SecondsToAcknowledge!.Value).ToList();
            return Results.Ok(new DrillReport(drill, fired, fired.Count, acknowledged.Count, acknowledged.Count > 0 ? Math.Round(acknowledged.Average(), 1) : null));
        }).WithSummary("A drill's report: the alarms it raised and how fast each was handled");
    }

    private static async Task<DeviceStatus?> Device(IGrainFactory grains, string id)
    {
        if (!await grains.GetGrain<ISiteGrain>(0).HasDevice(id) || await grains.GetGrain<IDeviceGrain>(id).GetStatus() is not { } device)
        {
            return null;
        }

        return device with { OutOfService = await grains.GetGrain<IAlarmHandlingGrain>(device.BuildingId).OutOfServiceOf(id, device.RoomId) };
    }

    /// <summary>The building of room <paramref name="id"/>, whose alarm handling keeps its repairs; null for no room the user sees.</summary>
    private static async Task<string?> BuildingOfRoom(IGrainFactory grains, SiteScope scope, string id) =>
        (await SiteOf(grains, scope, id))?.Buildings.FirstOrDefault(b => b.Rooms.Any(r => r.Id == id))?.Id;

    /// <summary>The tree of the site the place <paramref name="id"/> is of; null for an id of no site.</summary>
    private static async Task<SiteView?> SiteOf(IGrainFactory grains, SiteScope scope, string id) =>
        (await scope.Directory()).Owners.TryGetValue(id, out var site) ? await grains.GetGrain<ISiteGrain>(0).GetSite(site) : null;

    private static IResult NoDevice(string id) => ApiProblem.NotFound("noDevice", ("id", id));

    private static IResult? Invalid(OutOfServiceRequest? body, TimeProvider time) =>
        HandlingRequest.Problems(body?.Note, until: body?.Until, now: time.GetUtcNow()) is { Count: > 0 } errors ? ApiProblem.Invalid(errors) : null;
}

public sealed record OutOfServiceRequest(DateTimeOffset? Until, string? Note);

public sealed record DrillRequest(int? Minutes, string? Note);

public sealed record DrillAlert(string Id, string Type, string Severity, string? RoomId, string? SourceId, DateTimeOffset RaisedAt,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, double? SecondsToAcknowledge);

public sealed record DrillReport(Drill Drill, IReadOnlyList<DrillAlert> Alerts, int Fired, int Acknowledged, double? MeanSecondsToAcknowledge);

/// <summary><c>GET /api/site/clock</c>: the site's time zone (IANA id).</summary>
public sealed record SiteClock(string TimeZone);
