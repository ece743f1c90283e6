using SafetyPatrol.Grains;
using SafetyPatrol.Security;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>Security zones: their arming state for the console and the gate; arm and disarm by an operator, with a reason (audited).</summary>
public static class ZoneEndpoints
{
    public static void MapZoneEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/zones", async (string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            var zones = await grains.GetGrain<ISiteGrain>(0).Zones(siteId);
            var directory = await scope.Directory();
            return SiteScope.SitesOf(http.User) is null ? zones : [.. zones.Where(z => SiteScope.Sees(http.User, SiteScope.SiteOf(directory, z.Id)))];
        })
            .WithSummary("The security zones (of one site, or every site the user sees) and whether each is armed")
            .RequireAuthorization(Policies.Watch).InScope();

        app.MapPost("/api/zones/{id}/arm", async (string id, ArmingBody? body, HttpContext http, IGrainFactory grains) =>
            Reason(body) is not { } reason ? NoReason()
                : Answer(id, await grains.GetGrain<IZoneGrain>(id).Arm(http.User.UserName(), reason, body!.Minutes)))
            .WithSummary("Arm a security zone now, with a reason (for some minutes, if given)")
            .RequireAuthorization(Policies.Operator).InScope(routeIdIsPlace: true);

        app.MapPost("/api/zones/{id}/disarm", async (string id, ArmingBody? body, HttpContext http, IGrainFactory grains) =>
            Reason(body) is not { } reason ? NoReason()
                : body!.Minutes is not { } minutes ? ApiProblem.Invalid("minutes", ProblemText.Of("zone.disarmHowLong"))
                : Answer(id, await grains.GetGrain<IZoneGrain>(id).Disarm(http.User.UserName(), reason, minutes)))
            .WithSummary("Disarm a security zone for some minutes, with a reason; a disarm always ends")
            .RequireAuthorization(Policies.Operator).InScope(routeIdIsPlace: true);
    }

    private static string? Reason(ArmingBody? body) => TextLimits.Clean(body?.Reason) is { Length: <= TextLimits.Note } reason ? reason : null;

    private static IResult NoReason() =>
        ApiProblem.Invalid("reason", ProblemText.Of("zone.reason", ("max", TextLimits.Note)));

    private static IResult Answer(string id, ZoneResult result) => result switch
    {
        { Zone: null } => ApiProblem.NotFound("noZone", ("id", id)),
        { Problem: { } problem } => ApiProblem.Invalid("minutes", problem),
        _ => Results.Ok(result.Zone),
    };
}

public sealed record ArmingBody(string? Reason, int? Minutes);
