namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// A system of its own for the operations settings (docs/interface.md §12): metrics on a port of their own, tracing to a
/// collector (none listens: spans are seen in this process), on the real clock so latencies are real.
/// </summary>
public sealed class OperationsSystemFixture : SystemFixture
{
    public int MetricsPort { get; } = Ports.Free();

    protected override bool FakeClock => false;

    protected override IEnumerable<string> MoreSettings =>
    [
        $"--SafetyPatrol:Metrics:Port={MetricsPort}",
        $"--SafetyPatrol:Tracing:OtlpEndpoint=http://127.0.0.1:{Ports.Free()}",
    ];
}

[CollectionDefinition(Name)]
public sealed class OperationsSystemCollection : ICollectionFixture<OperationsSystemFixture>
{
    public const string Name = "operations";
}
