using Orleans.Dashboard;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>, for admins (docs/interface.md §12). A page cannot send the bearer token
/// the API takes, so the console asks <c>POST /api/dashboard/session</c> (as an admin) to put it in a cookie
/// that only <c>/dashboard</c> receives: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
/// Secure on HTTPS, and gone when the token expires.
/// </summary>
public static class DashboardAccess
{
    public const string Path = "/dashboard";
    public const string Cookie = "sp_dashboard";

    public static void Map(WebApplication app)
    {
        // The dashboard's own routes are its pages, not this API: left out of the OpenAPI document.
        app.MapOrleansDashboard(Path).RequireAuthorization(Policies.Admin).ExcludeFromDescription();

        app.MapPost("/api/dashboard/session", (HttpContext http) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            if (string.IsNullOrEmpty(token))
            {
                return ApiProblem.Status(StatusCodes.Status400BadRequest, ProblemText.Of("bearer"));
            }

            var expires = http.User.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
            http.Response.Cookies.Append(Cookie, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = Path,
                Expires = expires,
            });
            return Results.NoContent();
        }).WithSummary("Open the Orleans dashboard: a short-lived cookie for the admin").RequireAuthorization(Policies.Admin);
    }
}
