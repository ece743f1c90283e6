using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.TestingHost;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Tests;

/// <summary>
/// Three silos sharing one store, as a cluster does. A silo is killed; what it watched and what it kept
/// in the directory comes back on the survivors, and every silence and overdue visit is raised once.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private const int Devices = 24;
    private const int Checkpoints = 6;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sp-failover-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(ClusterFixture.Start);
    private readonly Activations _activations = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var site = SiteLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(SiteJson())), "failover-site.json");
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSafetyPatrol(site, _dataDir);
            silo.Services.AddKeyedSingleton<TimeProvider>(AppClock.Key, _time);
            silo.Services.AddSingleton<IActivationWorkingSetObserver>(_activations);

            // Grains land on any silo, as across a cluster's nodes, not on the least busy one (which, here, is one silo for all).
            silo.Services.AddSingleton<Orleans.Runtime.PlacementStrategy, Orleans.Runtime.RandomPlacement>();
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });

            // The sweep each silo runs when another one dies, as the Silo program has it.
            silo.Services.AddSingleton<SiteReadiness>();
            silo.Services.AddHostedService<SiteBootstrapper>();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task AKilledSilosDevicesAndCheckpointsAreWatchedByTheSurvivorsAndEachSilenceIsRaisedOnce()
    {
        await Until(() => Watched().Count == Devices + Checkpoints, "every device and checkpoint is active");

        // Kill a silo that hosts some of them (never the first: it keeps the test cluster's membership table). The first
        // silo's start-up sweep may have placed every one of them before the others joined: then they are placed again.
        var hosts = Watched();
        for (var placed = 1; hosts.All(h => h.Silo.Equals(_cluster.Silos[0].SiloAddress)); placed++)
        {
            Assert.True(placed <= 3, "every device and checkpoint stays on the first silo");
            await Replace();
            await Until(() => Watched().Count == Devices + Checkpoints, "every device and checkpoint is active again");
            hosts = Watched();
        }

        var victim = _cluster.Silos.Skip(1).MaxBy(s => hosts.Count(h => h.Silo.Equals(s.SiloAddress)))!;
        Assert.Contains(hosts, h => h.Silo.Equals(victim.SiloAddress));
        await _cluster.KillSiloAsync(victim);
        var survivors = _cluster.Silos.Where(s => !s.SiloAddress.Equals(victim.SiloAddress)).ToList();

        // The survivors declare it dead, sweep, and take back what the runtime deactivated (each woken by its silo's
        // scheduler a second of the site's clock later); then all are theirs again.
        await DeclaredDead(survivors[0], victim.SiloAddress);
        List<(string Id, SiloAddress Silo)> now = [];
        await Until(async () =>
        {
            await Advance(survivors, TimeSpan.FromSeconds(1));
            for (var retries = 0; retries < 60 && WakeDueWithin(survivors, TimeSpan.FromSeconds(1)); retries++)
            {
                await Advance(survivors, TimeSpan.FromSeconds(1));
            }

            now = Watched();
            return now.Count == Devices + Checkpoints && now.All(h => !h.Silo.Equals(victim.SiloAddress));
        }, "every device and checkpoint is active on a survivor",
            // What a failure needs said: which are not active, and which are still listed on the killed silo.
            () => $"{now.Count} of {Devices + Checkpoints} active; not active: {string.Join(", ", Enumerable.Range(1, Devices).Select(i => $"f-dev-{i}")
                .Concat(Enumerable.Range(1, Checkpoints).Select(i => $"f-cp-{i}")).Except(now.Select(h => h.Id)))}; on the killed silo: "
                + string.Join(", ", now.Where(h => h.Silo.Equals(victim.SiloAddress)).Select(h => h.Id)));

        // Past every heartbeat and every due time plus grace: each silence and each overdue visit is raised, once.
        // A never-visited checkpoint counts its due time from its activation, and the runtime may still take one
        // away (its directory entry died with the victim) after it was seen active here: then it is due a little later.
        IReadOnlyList<Alert> alerts = [];
        for (var minutes = 0; minutes < 40; minutes++)
        {
            await Advance(survivors, TimeSpan.FromMinutes(1));
            alerts = await _cluster.Client.GetGrain<IAlertQueryGrain>(0).Query(new AlertQuery("all", Limit: 1000));
            if (alerts.Count(a => a.Type == "inspection.overdue") >= Checkpoints && minutes >= 12)
            {
                break;
            }
        }

        Assert.Equal(
            Enumerable.Range(1, Devices).Select(i => $"f-dev-{i}").Order(),
            alerts.Where(a => a.Type == "device.offline").Select(a => a.DeviceId!).Order());
        Assert.Equal(
            Enumerable.Range(1, Checkpoints).Select(i => $"f-cp-{i}").Order(),
            alerts.Where(a => a.Type == "inspection.overdue").Select(a => a.CheckpointId!).Order());
    }

    [Fact]
    public async Task ADeviceMovesToTheSiloItsConnectionIsOnWithWhatItKnowsAndItsSilenceIsRaisedThere()
    {
        await Until(() => Watched().Count == Devices + Checkpoints, "every device and checkpoint is active");
        var device = _cluster.Client.GetGrain<SafetyPatrol.Devices.IDeviceGrain>("f-dev-1");
        var from = Watched().Single(h => h.Id == "f-dev-1").Silo;
        var to = _cluster.Silos.First(s => !s.SiloAddress.Equals(from)).SiloAddress;

        // A value it has not saved yet (readings alone are saved every 30 s), and readings sent while it moves: none is lost.
        await device.Report(Readings.Of(_time.GetUtcNow(), ("level", 41)));
        await device.ConnectedTo(to);
        for (var i = 0; i < 20; i++)
        {
            await device.Report(Readings.Of(_time.GetUtcNow(), ("level", 42 + i)));
        }

        await Until(() => Watched().Single(h => h.Id == "f-dev-1").Silo.Equals(to), "the device is active on the silo its connection is on");
        var status = await device.GetStatus();
        Assert.Equal(61.0, Convert.ToDouble(status!.LastReading["level"]));

        // Told the silo it is on already, it stays; told of the one it came from (a device connected to both, or hopping
        // between them), it stays too, for a while after its move: the time of the move came along with it.
        await device.ConnectedTo(to);
        await device.Report(Readings.Of(_time.GetUtcNow(), ("level", 70)));
        Assert.Equal(to, Watched().Single(h => h.Id == "f-dev-1").Silo);
        await device.ConnectedTo(from);
        await device.Report(Readings.Of(_time.GetUtcNow(), ("level", 71)));
        Assert.Equal(to, Watched().Single(h => h.Id == "f-dev-1").Silo);

        // Its heartbeat is watched where it lives now: silent past it, it is raised once.
        IReadOnlyList<Alert> offline = [];
        for (var minutes = 0; minutes < 5 && offline.Count == 0; minutes++)
        {
            await Advance(_cluster.Silos, TimeSpan.FromMinutes(1));
            offline = [.. (await _cluster.Client.GetGrain<IAlertQueryGrain>(0).Query(new AlertQuery("all", Limit: 1000)))
                .Where(a => a.Type == "device.offline" && a.DeviceId == "f-dev-1")];
        }

        Assert.Single(offline);
        Assert.Equal(to, Watched().Single(h => h.Id == "f-dev-1").Silo);

        // Once that while has passed, it follows its connection again.
        await Advance(_cluster.Silos, SafetyPatrol.Grains.Devices.DeviceGrain.StayAfterMove);
        await device.ConnectedTo(from);
        await Until(() => Watched().Any(h => h.Id == "f-dev-1" && h.Silo.Equals(from)), "the device follows its connection back after a while");
        Assert.Equal(71.0, Convert.ToDouble((await device.GetStatus())!.LastReading["level"]));
    }

    private async Task Advance(IEnumerable<InProcessSiloHandle> silos, TimeSpan by)
    {
        _time.Advance(by);
        foreach (var silo in silos)
        {
            await silo.ServiceProvider.GetRequiredService<DeadlineScheduler>().WhenIdle();
        }
    }

    /// <summary>
    /// Deactivates every device and checkpoint and starts each again from one silo in turn (a grain is placed where it is
    /// first called from), so every silo holds some.
    /// </summary>
    private async Task Replace()
    {
        static IEnumerable<(string Kind, string Id)> Ids() =>
            Enumerable.Range(1, Devices).Select(i => ("device", $"f-dev-{i}")).Concat(Enumerable.Range(1, Checkpoints).Select(i => ("checkpoint", $"f-cp-{i}")));
        static Task Call(IGrainFactory grains, (string Kind, string Id) grain, bool reload) => grain.Kind == "device"
            ? reload ? grains.GetGrain<SafetyPatrol.Devices.IDeviceGrain>(grain.Id).Reload() : grains.GetGrain<SafetyPatrol.Devices.IDeviceGrain>(grain.Id).Start()
            : reload ? grains.GetGrain<SafetyPatrol.Patrols.ICheckpointGrain>(grain.Id).Reload() : grains.GetGrain<SafetyPatrol.Patrols.ICheckpointGrain>(grain.Id).Start();

        await Task.WhenAll(Ids().Select(g => Call(_cluster.Client, g, reload: true)));
        var silos = _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();
        await Task.WhenAll(Ids().Select((g, i) => Call(silos[i % silos.Count], g, reload: false)));
    }

    /// <summary>Where each of the site's devices and checkpoints is active (one on the killed silo until it is active elsewhere).</summary>
    private List<(string Id, SiloAddress Silo)> Watched() =>
        [.. _activations.Active
            .Where(a => a.Key.Type.ToString() is "device" or "checkpoint" && a.Key.Key.ToString()!.StartsWith("f-", StringComparison.Ordinal))
            .Select(a => (a.Key.Key.ToString()!, a.Value.SiloAddress!))];

    /// <summary>Whether a survivor's scheduler has a wake-up due within <paramref name="within"/> of the site's clock (a retry after a failed one).</summary>
    private bool WakeDueWithin(IEnumerable<InProcessSiloHandle> silos, TimeSpan within) =>
        silos.Any(s => s.ServiceProvider.GetRequiredService<DeadlineScheduler>().NextDue <= _time.GetUtcNow() + within);

    /// <summary>Waits until <paramref name="silo"/>'s view of the cluster has <paramref name="dead"/> declared dead.</summary>
    private static async Task DeclaredDead(InProcessSiloHandle silo, SiloAddress dead)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var snapshot in silo.ServiceProvider.GetRequiredService<IClusterMembershipService>().MembershipUpdates.WithCancellation(deadline.Token))
            {
                if (snapshot.GetSiloStatus(dead) == SiloStatus.Dead)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail("The killed silo is not declared dead within 60 s");
    }

    /// <summary>
    /// Waits until the answer is yes, asking again each time a grain activates or deactivates on any silo (what every
    /// wait here is about), never more often.
    /// </summary>
    private async Task Until(Func<Task<bool>> condition, string what, Func<string>? state = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var changed = _activations.Changed();
            if (await condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Not {what} within 60 s" + (state is null ? "" : $" ({state()})"));
            }
        }
    }

    private Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    private static string SiteJson()
    {
        var devices = Enumerable.Range(1, Devices).Select(i => $$"""{ "id": "f-dev-{{i}}", "room": "f-{{i % 2}}", "system": "water", "secret": "s", "heartbeatSeconds": 60 }""");
        var checkpoints = Enumerable.Range(1, Checkpoints).Select(i => $$"""{ "id": "f-cp-{{i}}", "room": "f-{{i % 2}}", "name": "Door {{i}}", "code": "F{{i}}", "everyMinutes": 10, "graceMinutes": 2 }""");
        return $$"""
            {
              "id": "failover", "name": "故障转移 Failover", "timeZone": "Asia/Shanghai",
              "buildings": [ { "id": "f-b", "name": "一号楼", "rooms": [ { "id": "f-0", "name": "101" }, { "id": "f-1", "name": "102" } ] } ],
              "devices": [ {{string.Join(",\n", devices)}} ],
              "checkpoints": [ {{string.Join(",\n", checkpoints)}} ],
              "routes": []
            }
            """;
    }
}
