using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The <c>SafetyPatrol</c> section is one set of settings for a node and a front end, read and checked once.</summary>
public sealed class SettingsTests
{
    private static IConfiguration Of(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"SafetyPatrol:{s.Key}", s.Value))).Build();

    [Fact]
    public void EveryWrongSettingOfTheSectionIsNamedAtOnceForAFrontEndAsForANode()
    {
        var wrong = Of(("TokenKey", "too-short"), ("SignInsPerAddressPerMinute", "0"), ("Gateways:0", "nowhere"), ("Mqtt:Port", "70000"), ("DataDir", ""));

        var refused = Assert.Throws<OptionsValidationException>(() => SafetyPatrolOptions.Load(wrong, SettingsUse.FrontEnd));
        Assert.Collection(refused.Failures.Order(StringComparer.Ordinal),
            f => Assert.Equal("SafetyPatrol:DataDir is empty; name the folder the node keeps its data in.", f),
            f => Assert.StartsWith("SafetyPatrol:Gateways:0 'nowhere' is not an address:port", f, StringComparison.Ordinal),
            f => Assert.Equal("SafetyPatrol:Mqtt:Port is 70000; a port is a number from 1 to 65535 (0 turns it off).", f),
            f => Assert.Equal("SafetyPatrol:SignInsPerAddressPerMinute is 0; it is 1 to 100000.", f),
            f => Assert.Equal("SafetyPatrol:TokenKey must be at least 32 characters long.", f));
        Assert.Equal(6, Assert.Throws<OptionsValidationException>(() => SafetyPatrolOptions.Load(wrong, SettingsUse.Node)).Failures.Count());
    }

    [Fact]
    public void OnlyANodeNeedsTheAdminsPasswordAndEveryUseReadsTheSameValues()
    {
        var settings = Of(("DataDir", "/srv/safetypatrol"), ("TokenLifetimeMinutes", "90"), ("Gateways:0", "10.0.0.5:30000"));

        Assert.Contains("SafetyPatrol:AdminPassword is not set", Assert.Single(Assert.Throws<OptionsValidationException>(() => SafetyPatrolOptions.Load(settings, SettingsUse.Node)).Failures));
        foreach (var use in new[] { SettingsUse.FrontEnd, SettingsUse.Tool })
        {
            var loaded = SafetyPatrolOptions.Load(settings, use);
            Assert.Equal(("/srv/safetypatrol", 90, "10.0.0.5:30000"), (loaded.DataDir, loaded.TokenLifetimeMinutes, loaded.GatewayEndPoints().Single().ToString()));
        }
    }
}
