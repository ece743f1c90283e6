namespace SafetyPatrol.Users;

/// <summary>A console or patrol user, keyed by the lower-cased username.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; null when the username is taken.</summary>
    Task<UserView?> Create(string password, string role, string? displayName);

    /// <summary>Creates or updates the user with this password and role (the built-in admin at start).</summary>
    Task<UserView> Ensure(string password, string role, string? displayName);

    /// <summary>The user when the password is right; null otherwise.</summary>
    Task<UserView?> Verify(string password);

    Task<UserView?> Get();
}

[GenerateSerializer, Immutable]
public sealed record UserView(string Username, string Role, string? DisplayName, DateTimeOffset CreatedAt);

public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Officer = "officer";

    public static bool IsValid(string? role) => role is Admin or Operator or Officer;
}
