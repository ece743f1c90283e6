using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Silo.Hosting;

namespace SafetyPatrol.Grains.Tests;

/// <summary>One silo with the real SafetyPatrol wiring, a temporary store and a fake application clock.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sp-grains-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The alert log, which a test can make refuse writes as a full disk would.</summary>
    public FailingAlertStore AlertStore { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Which grains are active, and when a grain has finished deactivating.</summary>
    public Activations Activations { get; } = new();

    public DeadlineScheduler Scheduler => ((InProcessSiloHandle)Cluster.Silos[0]).ServiceProvider.GetRequiredService<DeadlineScheduler>();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSafetyPatrol(TestSite.Definition, _dataDir);
            silo.Services.AddKeyedSingleton<TimeProvider>(AppClock.Key, Time);
            silo.Services.AddSingleton<IAlertStore>(sp => AlertStore = new FailingAlertStore(sp.GetRequiredService<RelationalStore>()));
            silo.Services.AddSingleton<IActivationWorkingSetObserver>(Activations);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>Moves the clock and waits until every grain woken by it has finished.</summary>
    public async Task Advance(TimeSpan by)
    {
        Time.Advance(by);
        await Scheduler.WhenIdle();
    }

    /// <summary>Moves the clock to a local time of day in the site's zone (the next one after now).</summary>
    public async Task AdvanceToLocal(int hour, int minute)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TestSite.Definition.TimeZone);
        var now = TimeZoneInfo.ConvertTime(Time.GetUtcNow(), zone);
        var target = new DateTimeOffset(now.Date + new TimeSpan(hour, minute, 0), now.Offset);
        if (target <= now)
        {
            target = target.AddDays(1);
        }

        await Advance(target - now);
    }

    public Task<IReadOnlyList<Alert>> AlertsOf(string deviceId) => Alerts(a => a.DeviceId == deviceId);

    public async Task<IReadOnlyList<Alert>> Alerts(Func<Alert, bool> match) =>
        [.. (await Grains.GetGrain<IAlertQueryGrain>(0).Query(new AlertQuery("all", Limit: 10_000))).Where(match)];

    /// <summary>Moves the clock to the next even local hour, where two-hourly rounds start.</summary>
    public async Task AdvanceToNextRoundStart()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TestSite.Definition.TimeZone);
        var now = TimeZoneInfo.ConvertTime(Time.GetUtcNow(), zone);
        var hour = (now.Hour / 2 * 2 + 2) % 24;
        await AdvanceToLocal(hour, 0);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
