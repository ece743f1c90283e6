using System.Security.Claims;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

/// <summary>Authorization policies by role (CONTRACT §4); admin may do everything.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Officer = "officer";

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Operator, p => p.RequireRole(Roles.Operator, Roles.Admin));
        options.AddPolicy(Officer, p => p.RequireRole(Roles.Officer, Roles.Admin));
    }

    public static string UserName(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
