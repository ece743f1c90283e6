using System.Security.Claims;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

/// <summary>Authorization policies by role (CONTRACT §4); admin may do everything.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Officer = "officer";

    /// <summary>Opens repair tickets: the console and officers on their rounds.</summary>
    public const string Reporter = "reporter";

    /// <summary>Works repair tickets: the console and technicians.</summary>
    public const string Repairer = "repairer";

    /// <summary>Uploads photos: officers of findings, guards of visitors.</summary>
    public const string Camera = "camera";

    /// <summary>The gate: guards, the console and admins register and see visitors.</summary>
    public const string Gate = "gate";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Operator, p => p.RequireRole(Roles.Operator, Roles.Admin));
        options.AddPolicy(Officer, p => p.RequireRole(Roles.Officer, Roles.Admin));
        options.AddPolicy(Reporter, p => p.RequireRole(Roles.Operator, Roles.Officer, Roles.Admin));
        options.AddPolicy(Repairer, p => p.RequireRole(Roles.Operator, Roles.Technician, Roles.Admin));
        options.AddPolicy(Camera, p => p.RequireRole(Roles.Officer, Roles.Guard, Roles.Admin));
        options.AddPolicy(Gate, p => p.RequireRole(Roles.Guard, Roles.Operator, Roles.Admin));
    }

    /// <summary>An operator or admin: sees and may change everything on the console.</summary>
    public static bool IsConsole(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin);

    public static string UserName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
