using Microsoft.Extensions.DependencyInjection;
using SafetyPatrol.Devices;
using Orleans.Storage;
using Orleans.TestingHost;
using SafetyPatrol.Grains.Devices;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DeviceSaveTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ReadingsAloneAreSavedOnceTheFirstNotYetSavedIsTheDevicesOwnPartOf30SecondsOldWhetherMoreComeOrNot()
    {
        var device = fixture.Grains.GetGrain<IDeviceGrain>("save-meter");
        var after = DeviceGrain.SaveAfter(device.GetGrainId());

        // A device's first message is saved at once.
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("kwh", 1)));
        Assert.Equal(1, await StoredKwh());

        // The next readings wait, counted from the first of them, not from the last save.
        await fixture.Advance(TimeSpan.FromSeconds(5));
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("kwh", 2)));
        await fixture.Advance(after - TimeSpan.FromMilliseconds(1));
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("kwh", 3)));
        Assert.Equal(1, await StoredKwh());

        // Saved then with no reading after it: a device that goes quiet does not keep its last values only in memory.
        await fixture.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, await StoredKwh());

        // Counted again from the next reading.
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("kwh", 4)));
        await fixture.Advance(after - TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, await StoredKwh());
        await fixture.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, await StoredKwh());
    }

    [Fact]
    public void DevicesThatBeginTogetherSaveSpreadOverTheSecondHalfOf30Seconds()
    {
        var waits = Enumerable.Range(0, 1000).Select(i => DeviceGrain.SaveAfter(GrainId.Create("device", $"c{i / 100:D4}-meter-{i % 100}"))).ToList();

        Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)));
        // Every second of those 15 has some of them: no moment when most of them write at once.
        Assert.Equal(15, waits.Select(wait => (int)wait.TotalSeconds).Where(second => second < 30).Distinct().Count());
        Assert.True(waits.GroupBy(wait => (int)wait.TotalSeconds).Max(second => second.Count()) < 1000 / 15 * 2);
    }

    private async Task<double?> StoredKwh()
    {
        var silo = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).ServiceProvider;
        var stored = await silo.GetRequiredService<IGrainStateStore>().Read("device", GrainId.Create("device", "save-meter").ToString());
        var state = silo.GetRequiredService<IGrainStorageSerializer>().Deserialize<DeviceState>(new BinaryData(stored!.Data))!;
        return state.Last["kwh"].Number;
    }
}
