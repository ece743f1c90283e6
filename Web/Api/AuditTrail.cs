using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyPatrol.Audit;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// Writes every sign-in (failed too) and every change made through the API to the audit log (docs/interface.md §10):
/// who, when, what (method and route), on what (the route's id), from where, how it ended, and the request's
/// JSON body with passwords taken out. One mechanism for every endpoint, so none is forgotten.
/// </summary>
public static partial class AuditTrail
{
    private const int MaxBody = 64 * 1024;
    private const int MaxDetail = 2000;
    /// <summary>
    /// How a detail is written: JSON whose fields the admin page names in its language, Chinese kept as it is rather than
    /// escaped (the CSV export is read by people), and no empty fields.
    /// </summary>
    public static readonly JsonSerializerOptions DetailJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly HashSet<string> Secrets = new(["password", "currentPassword", "newPassword", "secret", "code", "idNumber", "phone"], StringComparer.OrdinalIgnoreCase);

    public static async Task Record(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api"))
        {
            await next();
            return;
        }

        var json = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && request.ContentLength is null or <= MaxBody;
        if (json)
        {
            request.EnableBuffering(MaxBody);
        }

        try
        {
            await next();
        }
        finally
        {
            await Write(context, json);
        }
    }

    private static async Task Write(HttpContext context, bool json)
    {
        var body = json ? await Body(context.Request) : null;
        var signIn = context.Request.Path.StartsWithSegments("/api/auth/token");
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserName()
            : signIn && body?["username"] is JsonValue name && name.TryGetValue<string>(out var n) ? n.ToLowerInvariant()
            : "anonymous";
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var action = signIn ? "sign-in" : $"{context.Request.Method} {endpoint?.RoutePattern.RawText ?? context.Request.Path.Value}";
        var target = context.Request.RouteValues.Values.OfType<string>().FirstOrDefault();
        var detail = body?.ToJsonString(DetailJson);
        var record = new AuditRecord(user.Length > 64 ? user[..64] : user, action, target,
            detail is { Length: > MaxDetail } ? detail[..MaxDetail] + "…" : detail, context.Connection.RemoteIpAddress?.ToString(), context.Response.StatusCode);
        try
        {
            record = record with { SiteId = await SiteOrNone(context, body) };
            await context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IAuditGrain>(0).Record(record);
        }
        catch (Exception ex)
        {
            // The action itself has happened; the missing line is logged where the operator of the node sees it.
            LogNotRecorded(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail)), ex, record.User, record.Action, record.Outcome);
        }
    }

    /// <summary>The site of what the call named, or none when that cannot be told now: the entry is written either way.</summary>
    private static async Task<string?> SiteOrNone(HttpContext context, JsonObject? body)
    {
        try
        {
            return await SiteOf(context, body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The site of what a call named (docs/interface.md §13), for the audit log to be read per site: the first id of a
    /// place (or a site) in its route, its query or its body's fields, else the site of the record its route names (an
    /// alert, a ticket, a visitor); null for a call of no site (accounts, sign-ins).
    /// </summary>
    public static async Task<string?> SiteOf(HttpContext context, JsonObject? body)
    {
        var directory = await context.RequestServices.GetRequiredService<SiteScope>().Directory();
        IEnumerable<string?> named = context.Request.RouteValues.Values.OfType<string>()
            .Concat(context.Request.Query.Select(q => q.Value.ToString()))
            .Concat(body?.Select(p => p.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null) ?? []);
        foreach (var id in named.OfType<string>())
        {
            if (directory.Owners.TryGetValue(id, out var site))
            {
                return site;
            }
        }

        return context.GetEndpoint()?.Metadata.GetMetadata<RecordPlaces>() is { } record && context.Request.RouteValues["id"] is string recordId
            && await record.Places(context.RequestServices.GetRequiredService<IGrainFactory>(), recordId) is { } places
            ? SiteScope.SiteOf(directory, places)
            : null;
    }

    /// <summary>The request's JSON body, passwords and codes removed; null when it is not a JSON object.</summary>
    private static async Task<JsonObject?> Body(HttpRequest request)
    {
        try
        {
            request.Body.Position = 0;
            if (await JsonNode.ParseAsync(request.Body) is not JsonObject body)
            {
                return null;
            }

            foreach (var key in body.Select(p => p.Key).Where(Secrets.Contains).ToList())
            {
                body[key] = "***";
            }

            return body;
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write to the audit log: {User} {Action} ({Outcome})")]
    private static partial void LogNotRecorded(ILogger logger, Exception ex, string user, string action, int outcome);
}
