using SafetyPatrol.Alerts;
using SafetyPatrol.Push;
using SafetyPatrol.Web.Hubs;

namespace SafetyPatrol.Silo.Tests;

/// <summary>A web host sends each event once, however often the cluster hands it over.</summary>
public sealed class RecentEventsTests
{
    private static Alert Smoke(string id, long version, string status = AlertStatus.Open) => new()
    {
        Id = id, Type = "fire.smoke", Category = "fire", Severity = "critical", Message = "Smoke", Status = status, Version = version,
    };

    [Fact]
    public void AnAlertIsTheSameEventWhenItsIdAndVersionAreAndANewVersionOrAnotherAlertIsNot()
    {
        var recent = new RecentEvents();
        Assert.True(recent.IsNew(ConsoleEvent.Of(ConsoleEvent.AlertRaised, Smoke("a", 1))));
        Assert.False(recent.IsNew(ConsoleEvent.Of(ConsoleEvent.AlertRaised, Smoke("a", 1))));
        // Acknowledged: a new version, whatever else is alike.
        Assert.True(recent.IsNew(ConsoleEvent.Of(ConsoleEvent.AlertUpdated, Smoke("a", 2, AlertStatus.Acknowledged))));
        Assert.True(recent.IsNew(ConsoleEvent.Of(ConsoleEvent.AlertRaised, Smoke("b", 1))));
        // The same version under another event name is another event.
        Assert.True(recent.IsNew(ConsoleEvent.Of(ConsoleEvent.AlertUpdated, Smoke("a", 1))));
    }

    [Fact]
    public void AnyOtherEventIsTheSameWhenItsKeyAndVersionAreWhateverItsPayload()
    {
        var recent = new RecentEvents(capacity: 2);
        var at = DateTimeOffset.Parse("2026-12-04T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(recent.IsNew(new ConsoleEvent(ConsoleEvent.DeviceStatusChanged, new Devices.DeviceStatusChange("d", false, at), "d", 7)));
        Assert.False(recent.IsNew(new ConsoleEvent(ConsoleEvent.DeviceStatusChanged, new Devices.DeviceStatusChange("d", false, at), "d", 7)));
        // The same content in a new version is news (offline, online, offline again in one millisecond).
        Assert.True(recent.IsNew(new ConsoleEvent(ConsoleEvent.DeviceStatusChanged, new Devices.DeviceStatusChange("d", false, at), "d", 8)));
        Assert.True(recent.IsNew(new ConsoleEvent(ConsoleEvent.DeviceStatusChanged, new Devices.DeviceStatusChange("e", false, at), "e", 7)));
        // Past its capacity it forgets the oldest.
        Assert.True(recent.IsNew(new ConsoleEvent(ConsoleEvent.DeviceStatusChanged, new Devices.DeviceStatusChange("d", false, at), "d", 7)));
    }
}
