using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

/// <summary>Authorization policies by role (docs/interface.md §4); admin may do everything.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Operator = "operator";

    /// <summary>Reads the console: operators, admins and supervisors (who change nothing).</summary>
    public const string Reader = "reader";

    /// <summary>Sees the security zones: the gate and everyone who reads the console.</summary>
    public const string Watch = "watch";
    public const string Officer = "officer";

    /// <summary>Opens repair tickets: the console and officers on their rounds.</summary>
    public const string Reporter = "reporter";

    /// <summary>Works repair tickets: the console and technicians.</summary>
    public const string Repairer = "repairer";

    /// <summary>Uploads photos: officers of findings, guards of visitors.</summary>
    public const string Camera = "camera";

    /// <summary>The gate: guards, the console and admins register and see visitors.</summary>
    public const string Gate = "gate";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Operator, p => p.RequireRole(Roles.Operator, Roles.Admin));
        options.AddPolicy(Reader, p => p.RequireRole(Roles.Operator, Roles.Admin, Roles.Supervisor));
        options.AddPolicy(Watch, p => p.RequireRole(Roles.Guard, Roles.Operator, Roles.Admin, Roles.Supervisor));
        options.AddPolicy(Officer, p => p.RequireRole(Roles.Officer, Roles.Admin));
        options.AddPolicy(Reporter, p => p.RequireRole(Roles.Operator, Roles.Officer, Roles.Admin));
        options.AddPolicy(Repairer, p => p.RequireRole(Roles.Operator, Roles.Technician, Roles.Admin));
        options.AddPolicy(Camera, p => p.RequireRole(Roles.Officer, Roles.Guard, Roles.Admin));
        options.AddPolicy(Gate, p => p.RequireRole(Roles.Guard, Roles.Operator, Roles.Admin));
    }

    /// <summary>
    /// The roles that may call an endpoint, from its policies' own requirements so that nothing can drift from what is
    /// enforced: every policy on an endpoint must pass (a group's and its own), so the roles are those all of them
    /// allow. Null for any signed-in user (or anyone).
    /// </summary>
    public static IReadOnlyList<string>? RolesOf(IEnumerable<object> metadata, IServiceProvider services)
    {
        var policies = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>().Value;
        return metadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy is { } p ? policies.GetPolicy(p)?.Requirements.OfType<RolesAuthorizationRequirement>().FirstOrDefault()?.AllowedRoles.ToList() : null)
            .OfType<List<string>>()
            .Aggregate((List<string>?)null, (all, next) => all is null ? next : [.. all.Where(next.Contains)]);
    }

    /// <summary>An operator or admin: sees and may change everything on the console.</summary>
    public static bool IsConsole(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin);

    /// <summary>Sees the console's live stream: an operator, an admin or a supervisor.</summary>
    public static bool ReadsConsole(this ClaimsPrincipal user) => user.IsConsole() || user.IsInRole(Roles.Supervisor);

    /// <summary>Whether <paramref name="role"/> sees the console's live stream.</summary>
    public static bool ReadsConsole(string? role) => role is Roles.Operator or Roles.Admin or Roles.Supervisor;

    public static string UserName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
