using System.Text.RegularExpressions;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

public static partial class AuthEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex UsernamePattern();

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (LoginRequest? request, HttpContext http, IGrainFactory grains, TokenService tokens) =>
        {
            // A token must not be kept by a browser cache or a proxy.
            http.Response.Headers.CacheControl = "no-store";
            if (request is not { Username.Length: > 0, Password.Length: > 0 } || request.Password.Length > TextLimits.Password)
            {
                return ApiProblem.Status(StatusCodes.Status400BadRequest, ProblemText.Of("signIn.required", ("max", TextLimits.Password)));
            }

            // Failures are counted per device that signed in as this user before, else per address (DeviceCookie).
            var username = request.Username.ToLowerInvariant();
            var key = SymmetricKey.From(tokens);
            var device = key is null ? null : DeviceCookie.For(http.Request, username, key);
            var source = device is not null ? "device:" + device : http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var result = UsernamePattern().IsMatch(request.Username)
                ? await grains.GetGrain<IUserGrain>(username).SignIn(request.Password, source)
                : new SignInResult(null);
            if (result.User is not null && key is not null && device is null)
            {
                DeviceCookie.Issue(http, username, key);
            }

            return result switch
            {
                { User: not null } when tokens.Key is null => ApiProblem.Status(StatusCodes.Status503ServiceUnavailable, ProblemText.Of("starting")),
                { User: { } user } => Results.Ok(tokens.Issue(user)),
                { RetryAfter: { } wait } => RateLimits.TooMany(http, wait),
                _ => ApiProblem.Status(StatusCodes.Status401Unauthorized, ProblemText.Of("signIn.wrong")),
            };
        }).WithSummary("Sign in: a username and password give an access token").RequireRateLimiting(RateLimits.SignIn);

        app.MapGet("/api/me", async (HttpContext http, IGrainFactory grains) =>
            await grains.GetGrain<IUserGrain>(http.User.UserName()).Get() is { } user ? Results.Ok(user) : Results.NotFound())
            .WithSummary("Who is signed in: username, role and display name")
            .RequireAuthorization();

        app.MapPost("/api/users", async (CreateUserRequest? request, IGrainFactory grains, SiteScope scope) =>
        {
            var errors = new Dictionary<string, ProblemText>();
            await CheckSites(request?.Role, request?.Sites, request?.SiteRoles, scope, errors);
            if (request?.Username is not { } name || !UsernamePattern().IsMatch(name))
            {
                errors["username"] = ProblemText.Of("username");
            }

            if (request?.Password is not { Length: >= 8 and <= TextLimits.Password })
            {
                errors["password"] = ProblemText.Of("password", ("max", TextLimits.Password));
            }

            if (request?.DisplayName is { Length: > TextLimits.Name })
            {
                errors["displayName"] = ProblemText.Of("tooLong", ("max", TextLimits.Name));
            }

            if (!Roles.IsValid(request?.Role))
            {
                errors["role"] = ProblemText.Of("role", ("roles", Roles.All));
            }

            if (errors.Count > 0)
            {
                return ApiProblem.Invalid(errors);
            }

            var created = await grains.GetGrain<IUserGrain>(request!.Username!.ToLowerInvariant()).Create(request.Password!, request.Role!, request.DisplayName, request.Sites, request.SiteRoles);
            return created is null
                ? ApiProblem.Status(StatusCodes.Status409Conflict, ProblemText.Of("userExists", ("id", request.Username)))
                : Results.Created($"/api/users/{created.Username}", created);
        }).WithSummary("Create an account with a role").RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/users", async (IGrainFactory grains) =>
        {
            var names = await grains.GetGrain<IUserDirectoryGrain>(0).List();
            var users = await Task.WhenAll(names.Select(n => grains.GetGrain<IUserGrain>(n).Get()));
            return users.OfType<UserView>().ToList();
        }).WithSummary("List the accounts").RequireAuthorization(Policies.Admin);

        // The ticket form's picker: who can be given a repair (enabled technicians), for the console.
        app.MapGet("/api/technicians", async (IGrainFactory grains) =>
        {
            var names = await grains.GetGrain<IUserDirectoryGrain>(0).List();
            var users = await Task.WhenAll(names.Select(n => grains.GetGrain<IUserGrain>(n).Get()));
            return users.OfType<UserView>().Where(u => u is { Role: Roles.Technician, Disabled: false })
                .OrderBy(u => u.Username, StringComparer.Ordinal).Select(u => new Technician(u.Username, u.DisplayName)).ToList();
        }).WithSummary("The technicians a repair can be assigned to").RequireAuthorization(Policies.Operator);

        app.MapPost("/api/users/{username}/password", async (string username, PasswordResetRequest? request, IGrainFactory grains) =>
        {
            if (request?.Password is not { Length: >= 8 and <= TextLimits.Password })
            {
                return ApiProblem.Invalid("password", ProblemText.Of("password", ("max", TextLimits.Password)));
            }

            var user = UsernamePattern().IsMatch(username) ? await grains.GetGrain<IUserGrain>(username.ToLowerInvariant()).ResetPassword(request.Password) : null;
            return user is null ? ApiProblem.NotFound("noUser", ("id", username)) : Results.Ok(user);
        }).WithSummary("Set a new password for an account (its sessions end)").RequireAuthorization(Policies.Admin);

        app.MapPost("/api/me/password", async (PasswordChangeRequest? request, HttpContext http, IGrainFactory grains) =>
        {
            if (request?.NewPassword is not { Length: >= 8 and <= TextLimits.Password } || request.CurrentPassword is not { Length: > 0 and <= TextLimits.Password })
            {
                return ApiProblem.Invalid("newPassword", ProblemText.Of("newPassword", ("max", TextLimits.Password)));
            }

            return await grains.GetGrain<IUserGrain>(http.User.UserName()).ChangePassword(request.CurrentPassword, request.NewPassword)
                ? Results.NoContent()
                : ApiProblem.Status(StatusCodes.Status403Forbidden, ProblemText.Of("currentPassword"));
        }).WithSummary("Change your own password, giving the current one").RequireAuthorization().RequireRateLimiting(RateLimits.SignIn);

        app.MapPatch("/api/users/{username}", async (string username, UserChangeRequest? request, IGrainFactory grains, SiteScope scope) =>
        {
            var errors = new Dictionary<string, ProblemText>();
            var account = UsernamePattern().IsMatch(username) ? grains.GetGrain<IUserGrain>(username.ToLowerInvariant()) : null;
            if (account is null || await account.Get() is not { } current)
            {
                return ApiProblem.NotFound("noUser", ("id", username));
            }

            // What the account will be, checked as a whole: new sites must still hold the sites given roles, and so on.
            if (request is { } r && (r.Sites is not null || r.SiteRoles is not null || r.Role is not null))
            {
                await CheckSites(r.Role ?? current.Role, r.Sites ?? current.Sites, r.SiteRoles ?? current.SiteRoles, scope, errors);
            }

            if (request is null)
            {
                errors["body"] = ProblemText.Of("userChange");
            }

            if (request?.Role is { } role && !Roles.IsValid(role))
            {
                errors["role"] = ProblemText.Of("role", ("roles", Roles.All));
            }

            if (request?.DisplayName is { Length: > TextLimits.Name })
            {
                errors["displayName"] = ProblemText.Of("tooLong", ("max", TextLimits.Name));
            }

            if (errors.Count > 0)
            {
                return ApiProblem.Invalid(errors);
            }

            var user = await account.Update(new UserChange(request!.Role, request.DisplayName, request.Disabled, request.Sites, request.SiteRoles));
            return user is null ? ApiProblem.NotFound("noUser", ("id", username)) : Results.Ok(user);
        }).WithSummary("Change an account's role, display name, sites or roles at sites, or disable it").RequireAuthorization(Policies.Admin);
    }

    /// <summary>
    /// A user's sites must each be a site of the deployment, once (docs/interface.md §13); empty means every site. A role at
    /// a site must be one of the user's sites and any role but admin, which is of the whole system; an admin has no other.
    /// </summary>
    private static async Task CheckSites(string? role, IReadOnlyList<string>? sites, IReadOnlyDictionary<string, string>? siteRoles, SiteScope scope, Dictionary<string, ProblemText> errors)
    {
        var known = (await scope.Directory()).Sites.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = (sites ?? []).Where(s => !known.Contains(s ?? "")).ToList();
        if (unknown.Count > 0 || sites is not null && sites.Distinct(StringComparer.Ordinal).Count() != sites.Count)
        {
            errors["sites"] = unknown.Count > 0
                ? ProblemText.Of("sites.unknown", ("sites", Quoted(unknown)), ("known", string.Join(", ", known.Order(StringComparer.Ordinal))))
                : ProblemText.Of("sites.twice");
        }

        if (siteRoles is not { Count: > 0 })
        {
            return;
        }

        var theirs = sites is { Count: > 0 } ? sites.ToHashSet(StringComparer.Ordinal) : known;
        var outside = siteRoles.Keys.Where(s => !theirs.Contains(s)).ToList();
        var wrong = siteRoles.Where(r => r.Value == Roles.Admin || !Roles.IsValid(r.Value)).Select(r => r.Key).ToList();
        if (role == Roles.Admin)
        {
            errors["siteRoles"] = ProblemText.Of("siteRoles.admin");
        }
        else if (outside.Count > 0)
        {
            errors["siteRoles"] = ProblemText.Of("siteRoles.outside", ("sites", Quoted(outside)));
        }
        else if (wrong.Count > 0)
        {
            errors["siteRoles"] = ProblemText.Of("siteRoles.role", ("sites", Quoted(wrong)), ("roles", Roles.All));
        }
    }

    private static string Quoted(IEnumerable<string?> ids) => string.Join(", ", ids.Select(s => $"'{s}'"));
}

public sealed record PasswordResetRequest(string? Password);

public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

public sealed record UserChangeRequest(string? Role, string? DisplayName, bool? Disabled, IReadOnlyList<string>? Sites = null, IReadOnlyDictionary<string, string>? SiteRoles = null);

public sealed record LoginRequest(string? Username, string? Password);

public sealed record CreateUserRequest(string? Username, string? Password, string? Role, string? DisplayName, IReadOnlyList<string>? Sites = null, IReadOnlyDictionary<string, string>? SiteRoles = null);

/// <summary>One entry of <c>GET /api/technicians</c>.</summary>
public sealed record Technician(string Username, string? DisplayName);
