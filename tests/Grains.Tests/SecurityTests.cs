using SafetyPatrol.Alerts;
using SafetyPatrol.Devices;
using SafetyPatrol.Security;

namespace SafetyPatrol.Grains.Tests;

/// <summary>The security system: zones armed by their schedule and by operators, and the rules that count only while armed.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SecurityTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ADoorOpenedWhileItsZoneIsDisarmedIsAReadingAndOnceTheScheduleArmsItTheSameDoorRaisesAnAlarm()
    {
        await fixture.AdvanceToLocal(12, 0);
        var door = fixture.Grains.GetGrain<IDeviceGrain>("door-1");
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "open")));
        await fixture.Advance(TimeSpan.FromSeconds(10));
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "closed")));
        Assert.Empty(await fixture.AlertsOf("door-1"));
        Assert.False(await fixture.Grains.GetGrain<IZoneGrain>("night").IsArmed());

        await fixture.AdvanceToLocal(22, 0);
        var zone = await fixture.Grains.GetGrain<IZoneGrain>("night").Get();
        Assert.Equal((true, "schedule"), (zone!.Armed, zone.Source));
        Assert.Equal(["beam-1", "beam-2", "door-1"], zone.Devices);

        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "open")));
        var alert = Assert.Single(await fixture.AlertsOf("door-1"));
        Assert.Equal(("security.door-opened-armed", "critical", AlarmClass.Alarm, true), (alert.Type, alert.Severity, alert.Class, alert.Active));

        // Held open past its own heldOpenSeconds (60), not the rule's default.
        await fixture.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(await fixture.AlertsOf("door-1"));
        await fixture.Advance(TimeSpan.FromSeconds(1));
        var held = Assert.Single(await fixture.AlertsOf("door-1"), a => a.Type == "security.door-held-open");
        Assert.Equal(("major", AlarmClass.Supervisory), (held.Severity, held.Class));

        // At 06:00 the zone disarms by itself: the open door is a reading again, and its alarm clears.
        await fixture.AdvanceToLocal(6, 0);
        Assert.False((await fixture.Alerts(a => a.Id == alert.Id)).Single().Active);
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "closed")));
    }

    [Fact]
    public async Task AnOperatorsDisarmSilencesTheBeamForItsMinutesOnlyAndIsRefusedBeyondTheZonesLimit()
    {
        await fixture.AdvanceToLocal(23, 0);
        var zone = fixture.Grains.GetGrain<IZoneGrain>("night");
        var refused = await zone.Disarm("operator", "gardener at work", 61);
        Assert.Equal(("zone.disarmLongest", "60"), (refused.Problem!.Key, refused.Problem.Args!["max"]));
        Assert.True(refused.Zone!.Armed);

        var disarmed = await zone.Disarm("operator", "gardener at work", 30);
        Assert.Equal((false, "operator", "gardener at work"), (disarmed.Zone!.Armed, disarmed.Zone.Source, disarmed.Zone.Override!.Reason));
        Assert.Equal(fixture.Time.GetUtcNow().AddMinutes(30), disarmed.Zone.NextChange);

        var beam = fixture.Grains.GetGrain<IDeviceGrain>("beam-2");
        await beam.Report(Readings.Of(fixture.Time.GetUtcNow(), ("intrusion", true)));
        await fixture.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(await fixture.AlertsOf("beam-2"));

        // The disarm runs out; the schedule arms the zone again, and the beam still broken is an intrusion.
        await fixture.Advance(TimeSpan.FromMinutes(1));
        var alert = Assert.Single(await fixture.AlertsOf("beam-2"));
        Assert.Equal(("security.intrusion", "critical", AlarmClass.Alarm), (alert.Type, alert.Severity, alert.Class));
        Assert.Equal("schedule", (await zone.Get())!.Source);
        await beam.Report(Readings.Of(fixture.Time.GetUtcNow(), ("intrusion", false)));
    }

    [Fact]
    public async Task AZoneWithoutASchedulePutsUpWithOpenDoorsUntilAnOperatorArmsIt()
    {
        var door = fixture.Grains.GetGrain<IDeviceGrain>("door-ops");
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "open")));
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "closed")));
        Assert.Empty(await fixture.AlertsOf("door-ops"));

        var armed = await fixture.Grains.GetGrain<IZoneGrain>("ops").Arm("operator", "duty room empty tonight", minutes: 120);
        Assert.Equal((true, (DateTimeOffset?)fixture.Time.GetUtcNow().AddMinutes(120)), (armed.Zone!.Armed, armed.Zone.NextChange));
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "open")));
        Assert.Equal("security.door-opened-armed", Assert.Single(await fixture.AlertsOf("door-ops")).Type);
        await door.Report(Readings.Of(fixture.Time.GetUtcNow(), ("door", "closed")));

        await fixture.Advance(TimeSpan.FromMinutes(120));
        Assert.False(await fixture.Grains.GetGrain<IZoneGrain>("ops").IsArmed());
    }

    [Fact]
    public async Task APanicButtonAlarmsInFullDuringADrillOfItsBuilding()
    {
        await fixture.Grains.GetGrain<IAlarmHandlingGrain>("b-drill").StartDrill(TimeSpan.FromMinutes(30), "operator", "evacuation drill");
        await fixture.Grains.GetGrain<IDeviceGrain>("panic-1").Report(Readings.Of(fixture.Time.GetUtcNow(), ("panic", true)));

        var alert = Assert.Single(await fixture.AlertsOf("panic-1"));
        Assert.Equal(("security.panic", "critical", AlarmClass.Alarm, null, true), (alert.Type, alert.Severity, alert.Class, alert.Suppressed, alert.ExemptFromDrills));
        await fixture.Advance(TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task TamperOnADeviceOfAnySystemIsATroubleAlertOfItsOwnAndCameraFaultsAreTrouble()
    {
        await fixture.Grains.GetGrain<IDeviceGrain>("tamper-1").Report(Readings.Of(fixture.Time.GetUtcNow(), ("tamper", true), ("voltage", 221)));
        var tamper = Assert.Single(await fixture.AlertsOf("tamper-1"));
        Assert.Equal(("device.tamper", "major", AlarmClass.Trouble, "sensor"), (tamper.Type, tamper.Severity, tamper.Class, tamper.Category));

        await fixture.Grains.GetGrain<IDeviceGrain>("cam-1").Report(Readings.Of(fixture.Time.GetUtcNow(), ("video", "lost"), ("recording", false), ("storage", "fault")));
        var camera = (await fixture.AlertsOf("cam-1")).OrderBy(a => a.Type, StringComparer.Ordinal).Select(a => (a.Type, a.Severity, a.Class)).ToList();
        Assert.Equal(
        [
            ("security.not-recording", "major", AlarmClass.Trouble),
            ("security.storage-fault", "minor", AlarmClass.Trouble),
            ("security.video-lost", "major", AlarmClass.Trouble),
        ], camera);
    }

    [Fact]
    public async Task ExistingRulesCarryTheirClassAndADeviceGoingSilentIsTrouble()
    {
        await fixture.Grains.GetGrain<IDeviceGrain>("class-smoke").Report(Readings.Of(fixture.Time.GetUtcNow(), ("smoke", true)));
        Assert.Contains(await fixture.AlertsOf("class-smoke"), a => a.Type == "fire.smoke" && a.Class == AlarmClass.Alarm);
        await fixture.Grains.GetGrain<IDeviceGrain>("class-smoke").Report(Readings.Of(fixture.Time.GetUtcNow(), ("smoke", false)));

        await fixture.Grains.GetGrain<IDeviceGrain>("class-hb").ReportStatus(false);
        Assert.Contains(await fixture.AlertsOf("class-hb"), a => a.Type == "device.offline" && a.Class == AlarmClass.Trouble);
        await fixture.Grains.GetGrain<IDeviceGrain>("class-hb").ReportStatus(true);
    }
}
