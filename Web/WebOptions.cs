namespace SafetyPatrol.Web;

/// <summary>The settings the web side reads from the <c>SafetyPatrol</c> section.</summary>
public sealed class WebOptions
{
    public string DataDir { get; set; } = "./data";

    /// <summary>Signing key for access tokens (at least 32 characters); generated into DataDir when empty.</summary>
    public string? TokenKey { get; set; }

    public int TokenLifetimeMinutes { get; set; } = 12 * 60;

    /// <summary>Sign-in requests one client address may make a minute (docs/interface.md §11); more answer 429.</summary>
    public int SignInsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Check-in requests one officer may make a minute; more answer 429.</summary>
    public int CheckInsPerOfficerPerMinute { get; set; } = 60;
}
