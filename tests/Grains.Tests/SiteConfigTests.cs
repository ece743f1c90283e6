using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Tests;

/// <summary>The cluster's agreed site text (docs/interface.md §12): kept compressed, asked for by version.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiteConfigTests
{
    private readonly ClusterFixture _cluster;

    public SiteConfigTests(ClusterFixture cluster) => _cluster = cluster;

    private IGrainStorage Storage => ((InProcessSiloHandle)_cluster.Cluster.Silos[0]).ServiceProvider.GetRequiredKeyedService<IGrainStorage>("Default");

    private static readonly string Text = TestSite.Json;

    [Fact]
    public async Task AProposedTextIsKeptCompressedAndGivenBackWholeAndTheSameTextMakesNoNewVersion()
    {
        var config = _cluster.Grains.GetGrain<ISiteConfigGrain>(11);
        Assert.Null(await config.VersionOf(SiteConfigGrain.HashOf(Text)));
        var first = await config.Propose(Text, "site.json");
        Assert.True(first.Changed);
        Assert.Equal(first.Version, await config.VersionOf(SiteConfigGrain.HashOf(Text)));
        Assert.Null(await config.VersionOf(SiteConfigGrain.HashOf(Text + " ")));
        Assert.Equal((first.Version, false), ((await config.Propose(Text, "site.json")).Version, (await config.Propose(Text, "site.json")).Changed));
        Assert.Equal(first.Version, await config.Version());
        Assert.Equal(Text, (await config.Get()).Json);

        var kept = new GrainState<SiteConfigState>();
        await Storage.ReadStateAsync("site-config", config.GetGrainId(), kept);
        Assert.Null(kept.State!.Json);
        Assert.True(kept.State.Compressed!.Length < System.Text.Encoding.UTF8.GetByteCount(Text));
    }

    [Fact]
    public async Task ATextAnEarlierVersionKeptPlainIsCompressedWhenTheGrainWakes()
    {
        var config = _cluster.Grains.GetGrain<ISiteConfigGrain>(12);
        await Storage.WriteStateAsync("site-config", config.GetGrainId(), new GrainState<SiteConfigState>(new SiteConfigState { Version = 4, Json = Text }));

        Assert.Equal(new SiteVersion(4, Text), await config.Get());
        Assert.False((await config.Propose(Text, "site.json")).Changed);
        var kept = new GrainState<SiteConfigState>();
        await Storage.ReadStateAsync("site-config", config.GetGrainId(), kept);
        Assert.Equal((4, null), (kept.State!.Version, kept.State.Json));
        Assert.NotNull(kept.State.Hash);
    }
}
