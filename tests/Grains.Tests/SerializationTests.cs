using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Devices;

namespace SafetyPatrol.Grains.Tests;

/// <summary>What the cluster keeps of state and messages whose defaults are not the type's default.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SerializationTests(ClusterFixture fixture)
{
    [Fact]
    public void AnOfflineDeviceStaysOfflineThroughTheGrainStorageSerializer()
    {
        var storage = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).ServiceProvider.GetRequiredService<IGrainStorageSerializer>();

        var copy = storage.Deserialize<DeviceState>(storage.Serialize(new DeviceState { Offline = true }))!;

        Assert.False(copy.Online);
    }

    [Fact]
    public void AnInactiveAlertStaysInactiveOnTheWire()
    {
        var wire = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).ServiceProvider.GetRequiredService<Serializer>();
        var alert = new Alert { Id = "a", Type = "t", Category = "c", Severity = "major", Message = "m", Active = false, Occurrences = 0 };

        var copy = wire.Deserialize<Alert>(wire.SerializeToArray(alert))!;

        Assert.Equal((false, 0), (copy.Active, copy.Occurrences));
    }
}
