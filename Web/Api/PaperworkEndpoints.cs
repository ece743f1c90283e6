using Microsoft.Extensions.Configuration;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains;
using SafetyPatrol.Patrols;
using SafetyPatrol.Web.Auth;
using SafetyPatrol.Web.Print;

namespace SafetyPatrol.Web.Api;

/// <summary>QR labels, finding photos and reading history (docs/interface.md §10).</summary>
public static class PaperworkEndpoints
{
    private const string PublicUrlKey = "SafetyPatrol:Notify:PublicUrl";

    public static void MapPaperworkEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/checkpoints/{id}/qr.svg", async (string id, HttpRequest request, IConfiguration configuration, IGrainFactory grains) =>
        {
            var label = (await grains.GetGrain<ISiteGrain>(0).Labels(null)).FirstOrDefault(l => l.Id == id);
            return label is null
                ? ApiProblem.NotFound("noCheckpoint", ("id", id))
                : Results.Text(CheckpointLabels.Svg(CheckpointLabels.CheckInUrl(request, configuration[PublicUrlKey], label)), "image/svg+xml");
        }).WithSummary("A checkpoint's label as a QR code (SVG) for the phone to scan").RequireAuthorization(Policies.Admin).InScope(routeIdIsPlace: true);

        // Setting up a checkpoint's display (or an authenticator app) for its rotating code: the key as an otpauth:// URI.
        app.MapGet("/api/checkpoints/{id}/code-key", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ISiteGrain>(0).CodeKey(id) is { } uri
                ? Results.Ok(new CodeKey(id, uri))
                : ApiProblem.NotFound("noRotatingCode", ("id", id)))
            .WithSummary("The key of a checkpoint's rotating code, to set up the display that shows it")
            .RequireAuthorization(Policies.Admin).InScope(routeIdIsPlace: true);

        app.MapGet("/print/checkpoints", async (string? buildingId, HttpRequest request, IConfiguration configuration, IGrainFactory grains) =>
        {
            var labels = await grains.GetGrain<ISiteGrain>(0).Labels(buildingId);
            if (buildingId is not null && labels.Count == 0)
            {
                return ApiProblem.NotFound("noBuildingCheckpoints", ("id", buildingId));
            }

            var title = buildingId is null ? "巡检点标签 Checkpoint labels" : $"巡检点标签 Checkpoint labels · {labels[0].BuildingName}";
            return Results.Content(CheckpointLabels.Sheet(title, labels.Select(l => (l, CheckpointLabels.CheckInUrl(request, configuration[PublicUrlKey], l)))),
                "text/html; charset=utf-8");
        }).WithSummary("A printable sheet of checkpoint labels, of one building or all").RequireAuthorization(Policies.Admin);

        // A photo of a finding or a visitor, sent as the body with its image type; the check-in then names it by id.
        app.MapPost("/api/photos", async (HttpRequest request, HttpContext http, IGrainFactory grains) =>
        {
            if (await UploadBody.Read(request, Photo.MaxBytes, http.RequestAborted) is not { } body)
            {
                return TooLarge();
            }

            // Only the image is kept: decoded and encoded again, without metadata or anything after it.
            var image = PhotoImage.Clean(body);
            if (image is not { Data: { } data, ContentType: { } type })
            {
                return ApiProblem.Status(image.Status, image.Problem!);
            }

            var photo = await grains.GetGrain<IPhotoGrain>(0).Save(type, http.User.UserName(), data);
            return Results.Created($"/api/photos/{photo.Id}", new { id = photo.Id, contentType = photo.ContentType, size = data.Length });
        })
            .WithSummary("Upload a photo (of a finding or a visitor); it is re-encoded and stored")
            .RequireAuthorization(Policies.Camera).DisableAntiforgery()
            .Accepts<byte[]>("image/jpeg", "image/png", "image/webp")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        app.MapGet("/api/photos/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (!Guid.TryParse(id, out _) || await grains.GetGrain<IPhotoGrain>(0).Get(id) is not { } photo)
            {
                return ApiProblem.NotFound("noPhoto", ("id", id));
            }

            http.Response.Headers.CacheControl = "private, max-age=86400";
            return Results.File(photo.Data, photo.ContentType);
        }).WithSummary("A stored photo").RequireAuthorization();

        app.MapGet("/api/devices/{id}/history", async (string id, string? metric, DateTimeOffset? from, DateTimeOffset? to, int? step, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, ProblemText>();
            if (string.IsNullOrWhiteSpace(metric))
            {
                errors["metric"] = ProblemText.Of("metric");
            }

            if (step is < 1 or > 10_080)
            {
                errors["step"] = ProblemText.Of("step", ("max", 10_080));
            }

            var span = from is { } f && to is { } t ? t - f : HistoryQuery.DefaultSpan;
            if (span <= TimeSpan.Zero)
            {
                errors["to"] = ProblemText.Of("toAfterFrom");
            }
            else if (span / TimeSpan.FromMinutes(step ?? 1) > HistoryQuery.MaxPoints)
            {
                errors["step"] = ProblemText.Of("points", ("max", HistoryQuery.MaxPoints));
            }

            if (errors.Count > 0)
            {
                return ApiProblem.Invalid(errors);
            }

            if (!await grains.GetGrain<ISiteGrain>(0).HasDevice(id))
            {
                return ApiProblem.NotFound("noDevice", ("id", id));
            }

            return Results.Ok(await grains.GetGrain<IHistoryGrain>(0).Query(new HistoryQuery(id, metric!, from, to, TimeSpan.FromMinutes(step ?? 1))));
        }).WithSummary("A device's readings of one metric over time, per minute").RequireAuthorization(Policies.Reader);
    }

    private static IResult TooLarge() =>
        ApiProblem.Status(StatusCodes.Status413PayloadTooLarge, ProblemText.Of("photoTooLarge", ("mb", Photo.MaxBytes / (1024 * 1024))));
}

/// <summary><c>GET /api/checkpoints/{id}/code-key</c>: the TOTP key of a rotating check-in code as an <c>otpauth://</c> URI.</summary>
public sealed record CodeKey(string CheckpointId, string Uri);
