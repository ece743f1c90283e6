using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;
using SafetyPatrol.Grains.Patrols;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Tests;

/// <summary>docs/interface.md §13: ledger compliance is counted into the store, per site and day of its calendar.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ComplianceTests
{
    private readonly ClusterFixture _cluster;

    public ComplianceTests(ClusterFixture cluster) => _cluster = cluster;

    private IServiceProvider Silo => ((InProcessSiloHandle)_cluster.Cluster.Silos[0]).ServiceProvider;

    [Fact]
    public async Task CountsAnEarlierVersionKeptInTheGrainAreMovedToTheStoreOnceAndNewOnesAddToThem()
    {
        // What the previous version saved in the grain of a site: two days.
        var site = "legacy-" + Guid.NewGuid().ToString("N")[..6];
        var storage = Silo.GetRequiredKeyedService<IGrainStorage>("Default");
        var kept = new GrainState<ComplianceState>(new ComplianceState
        {
            Days = { [new DateOnly(2026, 11, 24)] = new ComplianceCounts(3, 1), [new DateOnly(2026, 11, 25)] = new ComplianceCounts(2, 0) },
        });
        await storage.WriteStateAsync("compliance", GrainId.Create("compliance", site), kept);

        // A site the catalog does not know (one since removed) counts on UTC days: both of these are the 25th's.
        var grain = _cluster.Grains.GetGrain<IComplianceGrain>(site);
        await grain.OnTime(new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero));
        await grain.Missed(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero));

        var store = Silo.GetRequiredService<IComplianceStore>();
        var days = (await store.ComplianceDays(new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), [site])).OrderBy(d => d.Day).ToList();
        Assert.Equal([(new DateOnly(2026, 11, 24), 3, 1), (new DateOnly(2026, 11, 25), 3, 1)], days.Select(d => (d.Day, d.Counts.OnTime, d.Counts.Missed)));

        // The grain's own state is gone: woken again, it moves nothing twice.
        var after = new GrainState<ComplianceState>();
        await storage.ReadStateAsync("compliance", GrainId.Create("compliance", site), after);
        Assert.True(after.State is null || after.State.Days.Count == 0);
    }
}
