using SafetyPatrol.Sites;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>Building floor plans (docs/interface.md §13): an admin uploads each floor's picture and sets where things stand on it; the console shows it live.</summary>
public static class PlanEndpoints
{
    public static void MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        // A building of a site the user does not see is not there.
        var plans = app.MapGroup("/api/buildings/{id}/floors/{floor:int}/plan").InScope(routeIdIsPlace: true);

        plans.MapGet("/", async (string id, int floor, IGrainFactory grains) =>
            await Grain(grains, id, floor).Get() is { } plan ? Results.Ok(plan) : NoPlan(id, floor))
            .WithSummary("A building floor's plan: its picture's size and where rooms, devices and checkpoints stand on it")
            .RequireAuthorization(Policies.Reader);

        plans.MapGet("/image", async (string id, int floor, HttpContext http, IGrainFactory grains) =>
        {
            var grain = Grain(grains, id, floor);
            if (await grain.Get() is not { } plan || await grain.Image() is not { } image)
            {
                return NoPlan(id, floor);
            }

            // Only ever a picture: never sniffed as anything else, and nothing in it may run or load.
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
            http.Response.Headers.CacheControl = "private, no-cache";
            return Results.File(image, plan.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{plan.UpdatedAt.UtcTicks}\""));
        })
            .WithSummary("A building floor's plan picture (PNG or JPEG; an SVG was drawn into a PNG)")
            .RequireAuthorization(Policies.Reader);

        plans.MapPut("/image", async (string id, int floor, HttpRequest request, HttpContext http, IGrainFactory grains) =>
        {
            if (await UploadBody.Read(request, PlanImage.MaxBytes, http.RequestAborted) is not { } body)
            {
                return TooLarge();
            }

            if (body.Length == 0)
            {
                return ApiProblem.Status(StatusCodes.Status400BadRequest, ProblemText.Of("plan.noBody"));
            }

            var image = PlanImage.Clean(body);
            if (image is not { Data: { } data, ContentType: { } type })
            {
                return ApiProblem.Status(image.Status, image.Problem!);
            }

            return Answer(await Grain(grains, id, floor).SetImage(type, image.Width, image.Height, data, http.User.UserName()));
        })
            .WithSummary("Upload a building floor's plan (PNG, JPEG or SVG up to 10 MB; an SVG is drawn into a PNG, so no script in it survives)")
            .RequireAuthorization(Policies.Admin).DisableAntiforgery()
            .Accepts<byte[]>("image/png", "image/jpeg", "image/svg+xml", "application/octet-stream")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        plans.MapPut("/positions", async (string id, int floor, PositionsBody? body, HttpContext http, IGrainFactory grains) =>
        {
            if (body?.Positions is not { } positions || positions.Any(p => string.IsNullOrWhiteSpace(p.Id) || p.X is null || p.Y is null))
            {
                return ApiProblem.Invalid("positions", ProblemText.Of("plan.positions"));
            }

            return Answer(await Grain(grains, id, floor).SetPositions([.. positions.Select(p => new PlanPosition(p.Id!.Trim(), p.X!.Value, p.Y!.Value))], http.User.UserName()));
        })
            .WithSummary("Set where the floor's rooms, devices and checkpoints stand on its plan, all at once")
            .RequireAuthorization(Policies.Admin);
    }

    private static IFloorPlanGrain Grain(IGrainFactory grains, string buildingId, int floor) =>
        grains.GetGrain<IFloorPlanGrain>($"{buildingId}/{floor.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    private static IResult Answer(FloorPlanResult result) =>
        result.Plan is { } plan ? Results.Ok(plan)
        : result.NotFound ? ApiProblem.Status(StatusCodes.Status404NotFound, result.Problems[0])
        : ApiProblem.Invalid(result.Problems.Select(p => ("positions", p)));

    private static IResult NoPlan(string buildingId, int floor) =>
        ApiProblem.NotFound("plan.none", ("floor", floor), ("building", buildingId));

    private static IResult TooLarge() => ApiProblem.Status(StatusCodes.Status413PayloadTooLarge, ProblemText.Of("plan.tooLarge", ("mb", PlanImage.MaxBytes / 1024 / 1024)));
}

public sealed record PositionsBody(IReadOnlyList<PositionBody>? Positions);

public sealed record PositionBody(string? Id, double? X, double? Y);
