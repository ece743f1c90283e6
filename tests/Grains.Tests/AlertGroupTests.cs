using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains.Tests;

public sealed class AlertGroupTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 0, 12, 0, TimeSpan.Zero);

    [Fact]
    public void DevicesGoneSilentTogetherInABuildingAreOneCommunicationLossAndScatteredOrFewAlertsStaySingle()
    {
        List<Alert> alerts =
        [
            // Seven devices of one building silent within 70 s, 10 to 15 s apart.
            .. Enumerable.Range(0, 7).Select(i => Alert($"off-{i}", "device.offline", "teach-1", T0.AddSeconds(i * 11), Severities.Major)),
            // Three in another building ten minutes later: too few to be a group.
            .. Enumerable.Range(0, 3).Select(i => Alert($"lab-off-{i}", "device.offline", "lab", T0.AddMinutes(10).AddSeconds(i), Severities.Major)),
            // Six smoke alarms in two bursts two minutes apart: neither burst is big enough.
            .. Enumerable.Range(0, 6).Select(i => Alert($"smoke-{i}", "fire.smoke", "teach-1", T0.AddSeconds(i < 3 ? i : 120 + i), Severities.Critical)),
            // A shelved and a resolved one are not what the operator sees.
            Alert("off-shelved", "device.offline", "teach-1", T0.AddSeconds(5), Severities.Major) with { ShelvedUntil = T0.AddHours(1) },
            Alert("off-resolved", "device.offline", "teach-1", T0.AddSeconds(6), Severities.Major) with { Status = AlertStatus.Resolved },
        ];

        var group = Assert.Single(AlertGroup.Of(alerts, T0.AddMinutes(5)));

        Assert.Equal(("device.offline", "teach-1", 7, AlertGroup.CommunicationLoss), (group.Type, group.BuildingId, group.Count, group.Cause));
        Assert.Equal((T0, T0.AddSeconds(66), Severities.Major), (group.Since, group.Latest, group.Severity));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"off-{i}"), group.AlertIds);
    }

    [Fact]
    public void DevicesGoneSilentTogetherInSeveralBuildingsAreOneGroupForTheSite()
    {
        var alerts = Enumerable.Range(0, 6).Select(i => Alert($"dev-{i}", "device.offline", i % 2 == 0 ? "teach-1" : "lab", T0.AddSeconds(i * 3), Severities.Major));

        var group = Assert.Single(AlertGroup.Of(alerts, T0.AddMinutes(5)));

        Assert.Equal((null, 6, AlertGroup.CommunicationLoss), (group.BuildingId, group.Count, group.Cause));
    }

    private static Alert Alert(string id, string type, string building, DateTimeOffset at, string severity) => new()
    {
        Id = id, Type = type, Category = "device", Severity = severity, Message = id, Status = AlertStatus.Open,
        BuildingId = building, DeviceId = id, RaisedAt = at, LastChangedAt = at,
    };
}
