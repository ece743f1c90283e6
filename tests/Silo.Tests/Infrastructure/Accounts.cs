using System.Net;
using System.Net.Http.Json;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>Accounts a test makes for itself through the admin API.</summary>
public static class Accounts
{
    public const string Password = "user-pass-123";

    /// <summary>Creates the user, or finds it made by an earlier test of the same fixture.</summary>
    public static async Task Ensure(HttpClient admin, string username, string role)
    {
        var response = await admin.PostAsJsonAsync("/api/users", new { username, password = Password, role, displayName = username });
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            response.EnsureSuccessStatusCode();
        }
    }
}
