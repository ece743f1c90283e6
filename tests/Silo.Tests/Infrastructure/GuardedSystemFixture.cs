namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A system of its own with tight MQTT limits, for the tests that attack the listener.</summary>
public sealed class GuardedSystemFixture : SystemFixture
{
    public const int ConnectionsPerAddress = 3;

    protected override IEnumerable<string> MoreSettings =>
    [
        "--SafetyPatrol:Mqtt:ConnectTimeoutSeconds=1",
        $"--SafetyPatrol:Mqtt:MaxConnectionsPerAddress={ConnectionsPerAddress}",
    ];
}

[CollectionDefinition(Name)]
public sealed class GuardedSystemCollection : ICollectionFixture<GuardedSystemFixture>
{
    public const string Name = "guarded system";
}
