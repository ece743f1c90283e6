using System.Text.RegularExpressions;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

public static partial class AuthEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex UsernamePattern();

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (LoginRequest? request, IGrainFactory grains, TokenService tokens) =>
        {
            if (request is not { Username.Length: > 0, Password.Length: > 0 })
            {
                return Results.Problem("username and password are required.", statusCode: StatusCodes.Status400BadRequest);
            }

            var user = UsernamePattern().IsMatch(request.Username)
                ? await grains.GetGrain<IUserGrain>(request.Username.ToLowerInvariant()).Verify(request.Password)
                : null;
            return user is null
                ? Results.Problem("Unknown user or wrong password.", statusCode: StatusCodes.Status401Unauthorized)
                : Results.Ok(tokens.Issue(user));
        });

        app.MapGet("/api/me", async (HttpContext http, IGrainFactory grains) =>
            await grains.GetGrain<IUserGrain>(http.User.UserName()).Get() is { } user ? Results.Ok(user) : Results.NotFound())
            .RequireAuthorization();

        app.MapPost("/api/users", async (CreateUserRequest? request, IGrainFactory grains) =>
        {
            var errors = new Dictionary<string, string[]>();
            if (request?.Username is not { } name || !UsernamePattern().IsMatch(name))
            {
                errors["username"] = ["1 to 64 characters: letters, digits, '.', '_' or '-'."];
            }

            if (request?.Password is not { Length: >= 8 })
            {
                errors["password"] = ["At least 8 characters."];
            }

            if (!Roles.IsValid(request?.Role))
            {
                errors["role"] = ["One of admin, operator, officer."];
            }

            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            var created = await grains.GetGrain<IUserGrain>(request!.Username!.ToLowerInvariant()).Create(request.Password!, request.Role!, request.DisplayName);
            return created is null
                ? Results.Problem($"User '{request.Username}' already exists.", statusCode: StatusCodes.Status409Conflict)
                : Results.Created($"/api/users/{created.Username}", created);
        }).RequireAuthorization(Policies.Admin);
    }
}

public sealed record LoginRequest(string? Username, string? Password);

public sealed record CreateUserRequest(string? Username, string? Password, string? Role, string? DisplayName);
