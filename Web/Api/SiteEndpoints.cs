using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

public static class SiteEndpoints
{
    public static void MapSiteEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/site", (IGrainFactory grains) => grains.GetGrain<ISiteGrain>(0).GetSite()).RequireAuthorization(Policies.Operator);

        app.MapGet("/api/devices/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ISiteGrain>(0).HasDevice(id) && await grains.GetGrain<IDeviceGrain>(id).GetStatus() is { } device
                ? Results.Ok(device)
                : Results.Problem($"No device '{id}'.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(Policies.Operator);
    }
}
