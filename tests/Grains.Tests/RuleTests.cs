using SafetyPatrol.Alerts;
using SafetyPatrol.Devices;

namespace SafetyPatrol.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RuleTests(ClusterFixture fixture)
{
    [Fact]
    public async Task UndervoltageIsRaisedOnlyOnceTheVoltageHasStayedLowForTheOnDelay()
    {
        var device = fixture.Grains.GetGrain<IDeviceGrain>("volt-1");
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 198.4)));
        await fixture.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await fixture.AlertsOf("volt-1"));

        await fixture.Advance(TimeSpan.FromSeconds(1));

        var alert = Assert.Single(await fixture.AlertsOf("volt-1"));
        Assert.Equal("power.undervoltage", alert.Type);
        Assert.Equal("sensor", alert.Category);
        Assert.Equal("major", alert.Severity);
        Assert.Equal(198.4, alert.Value);
        Assert.Equal(207, alert.Threshold);
        Assert.Equal("Voltage 198.4 V below 207 V", alert.Message);
        Assert.Equal(("b1", "r-volt"), (alert.BuildingId, alert.RoomId));
        Assert.True(alert.Active);
    }

    [Fact]
    public async Task VoltageRecoveringWithinTheOnDelayRaisesNothing()
    {
        var device = fixture.Grains.GetGrain<IDeviceGrain>("volt-2");
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 200)));
        await fixture.Advance(TimeSpan.FromSeconds(5));
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 221)));
        await fixture.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(await fixture.AlertsOf("volt-2"));
    }

    [Fact]
    public async Task AnActiveAlertClearsOnlyWhenTheValueIsBackPastTheDeadband()
    {
        var device = fixture.Grains.GetGrain<IDeviceGrain>("band-1");
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 190)));
        await fixture.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Assert.Single(await fixture.AlertsOf("band-1")).Active);

        var raised = Assert.Single(await fixture.AlertsOf("band-1"));
        Assert.True(raised.Active);

        // Inside the deadband: still active, the latest value kept, the message still true and no new occurrence.
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 209.9)));
        var inBand = (await fixture.Grains.GetGrain<IAlertGrain>(raised.Id).Get())!;
        Assert.Equal((true, 209.9, 1, raised.Message), (inBand.Active, inBand.Value, inBand.Occurrences, inBand.Message));

        // Past the threshold again while still active: the message follows the value, still one occurrence.
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 185)));
        var deeper = (await fixture.Grains.GetGrain<IAlertGrain>(raised.Id).Get())!;
        Assert.Equal((185.0, 1, "Voltage 185 V below 207 V"), (deeper.Value, deeper.Occurrences, deeper.Message));

        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("voltage", 210)));
        var alert = Assert.Single(await fixture.AlertsOf("band-1"));
        Assert.False(alert.Active);
        Assert.Equal("open", alert.Status);
    }

    [Fact]
    public async Task DormPowerAfterLightsOutFollowsAWindowAcrossMidnight()
    {
        var device = fixture.Grains.GetGrain<IDeviceGrain>("dorm-101-power");
        await fixture.AdvanceToLocal(21, 0);
        await device.Report(Readings.Of(fixture.Time.GetUtcNow(), ("mains", true)));
        Assert.Empty(await fixture.AlertsOf("dorm-101-power"));

        // Nothing new is published: the window opening alone raises it, from the last value.
        await fixture.AdvanceToLocal(22, 30);
        var alert = Assert.Single(await fixture.AlertsOf("dorm-101-power"));
        Assert.Equal(("power.dorm-power-after-lights-out", "warning", true), (alert.Type, alert.Severity, alert.Active));

        await fixture.AdvanceToLocal(2, 0);
        Assert.True(Assert.Single(await fixture.AlertsOf("dorm-101-power")).Active);

        await fixture.AdvanceToLocal(6, 0);
        Assert.False(Assert.Single(await fixture.AlertsOf("dorm-101-power")).Active);
    }
}
