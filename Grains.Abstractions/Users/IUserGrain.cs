namespace SafetyPatrol.Users;

/// <summary>A console or patrol user, keyed by the lower-cased username.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the user, working at <paramref name="sites"/> (null or empty: every site) as <paramref name="role"/>, or at
    /// some of them as <paramref name="siteRoles"/> says; null when the username is taken.
    /// </summary>
    Task<UserView?> Create(string password, string role, string? displayName, IReadOnlyList<string>? sites = null, IReadOnlyDictionary<string, string>? siteRoles = null);

    /// <summary>Creates or updates the user with this password and role (the built-in admin at start), enabled.</summary>
    Task<UserView> Ensure(string password, string role, string? displayName);

    /// <summary>
    /// Checks a sign-in from <paramref name="source"/>: the client's address, or the device it signed in from
    /// before (its device cookie). Costs the same whether or not the user exists; after too many failures from one
    /// source, that source is refused for a while (others, and this user's known devices, are not).
    /// </summary>
    Task<SignInResult> SignIn(string password, string source);

    /// <summary>The user, or null when there is no such user.</summary>
    Task<UserView?> Get();

    /// <summary>Changes what is given; null when there is no such user.</summary>
    Task<UserView?> Update(UserChange change);

    /// <summary>The user's own change: false when <paramref name="current"/> is not the password.</summary>
    Task<bool> ChangePassword(string current, string replacement);

    /// <summary>An admin's reset: the new password, and every token issued so far stops working. Null when there is no such user.</summary>
    Task<UserView?> ResetPassword(string replacement);
}

/// <summary>Every username, for the admin's list of accounts.</summary>
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    Task Add(string username);

    Task<IReadOnlyList<string>> List();
}

[GenerateSerializer, Immutable]
public sealed record UserView(string Username, string Role, string? DisplayName, DateTimeOffset CreatedAt, bool Disabled = false)
{
    /// <summary>Raised by a password reset; a token carries the one it was issued under and is good only while it matches.</summary>
    [Id(5)]
    [System.Text.Json.Serialization.JsonIgnore]
    public int SessionVersion { get; init; }

    /// <summary>The sites the user works at and sees (docs/interface.md §13); null for every site.</summary>
    [Id(6)]
    public IReadOnlyList<string>? Sites { get; init; }

    /// <summary>The user's role at these sites, where it is not <see cref="Role"/> (docs/interface.md §13); null when it is the same everywhere.</summary>
    [Id(7)]
    public IReadOnlyDictionary<string, string>? SiteRoles { get; init; }

    /// <summary>The user's role at <paramref name="siteId"/>.</summary>
    public string RoleAt(string siteId) => SiteRoles?.GetValueOrDefault(siteId) ?? Role;
}

[GenerateSerializer, Immutable]
/// <param name="Sites">The user's sites from now on; empty for every site, null to keep them.</param>
/// <param name="SiteRoles">The user's role at some sites from now on, where it is not their role; empty for none, null to keep them.</param>
public sealed record UserChange(string? Role = null, string? DisplayName = null, bool? Disabled = null, IReadOnlyList<string>? Sites = null, IReadOnlyDictionary<string, string>? SiteRoles = null);

/// <summary>A sign-in's outcome: the user, or when to try again after too many failures (otherwise a wrong password or no such user).</summary>
[GenerateSerializer, Immutable]
public sealed record SignInResult(UserView? User, TimeSpan? RetryAfter = null);

public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Officer = "officer";

    /// <summary>Works the repair tickets assigned to them (docs/interface.md §10).</summary>
    public const string Technician = "technician";

    /// <summary>Registers visitors at the gate and checks them out.</summary>
    public const string Guard = "guard";

    /// <summary>
    /// Reads what the console reads (alerts, the site, plans, reports, the district overview) of their sites, and changes
    /// nothing: a district bureau's supervisor (docs/interface.md §13).
    /// </summary>
    public const string Supervisor = "supervisor";

    public const string All = "admin, operator, supervisor, officer, technician, guard";

    public static bool IsValid(string? role) => role is Admin or Operator or Supervisor or Officer or Technician or Guard;
}
