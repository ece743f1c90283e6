using System.Text;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Tests;

/// <summary>Ledgers and gauge items in the site file (docs/interface.md §10): what is accepted and what is refused, with where and why.</summary>
public sealed class LedgerSiteTests
{
    private const string Site = """
    {
      "id": "s", "name": "S", "timeZone": "Asia/Shanghai",
      "buildings": [ { "id": "b", "name": "B", "rooms": [ { "id": "r", "name": "R" } ] } ],
      "devices": [ { "id": "o2", "room": "r", "system": "gas", "secret": "x" } ],
      "checkpoints": [ CHECKPOINT ]
    }
    """;

    [Fact]
    public void DailyWeeklyAndMonthlyLedgersAndAGaugeItemAreRead()
    {
        var site = Parse("""
            { "id": "c", "room": "r", "name": "C", "code": "C", "schedule": "0 9 1 * *", "withinMinutes": 1440,
              "checklist": [ "Seal intact", { "item": "Gauge", "reading": { "device": "o2", "metric": "o2Pressure", "tolerance": 20 } } ] }
            """);

        var checkpoint = Assert.Single(site.Checkpoints);
        Assert.Equal(("0 9 1 * *", 1440), (checkpoint.Schedule, checkpoint.WithinMinutes));
        Assert.Equal(new ChecklistEntry("Seal intact"), checkpoint.Checklist[0]);
        Assert.Equal(new GaugeReading { Device = "o2", Metric = "o2Pressure", Tolerance = 20 }, checkpoint.Checklist[1].Reading);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var next = CheckpointSchedule.For(checkpoint, zone)!.Next(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)), next);
    }

    [Fact]
    public void ABadScheduleOrGaugeIsRefusedWithEveryProblemNamed()
    {
        var problems = Assert.Throws<SiteInvalidException>(() => Parse("""
            { "id": "c", "room": "r", "name": "C", "code": "C", "schedule": "every monday", "activeHours": "08:00-09:00",
              "checklist": [ "Seal", "Seal", { "item": "Gauge", "reading": { "device": "nope", "metric": "", "tolerance": -1 } } ] }
            """)).Problems.Select(p => p.Path).ToList();

        Assert.Equal(
        [
            "$.checkpoints[0].schedule", "$.checkpoints[0].withinMinutes", "$.checkpoints[0].activeHours", "$.checkpoints[0].checklist[1].item",
            "$.checkpoints[0].checklist[2].reading.device", "$.checkpoints[0].checklist[2].reading.metric", "$.checkpoints[0].checklist[2].reading.tolerance",
        ], problems);
        Assert.Equal("$.checkpoints[0].withinMinutes", Assert.Single(Assert.Throws<SiteInvalidException>(() =>
            Parse("""{ "id": "c", "room": "r", "name": "C", "code": "C", "withinMinutes": 30 }""")).Problems).Path);

        // A rotating code changes every 30 s to a day (a display), or by whole days up to a week (a label).
        foreach (var seconds in new[] { 10, 90_000, 8 * 86_400 })
        {
            Assert.Equal("$.checkpoints[0].rotatingCodeSeconds", Assert.Single(Assert.Throws<SiteInvalidException>(() =>
                Parse($$"""{ "id": "c", "room": "r", "name": "C", "code": "C", "rotatingCodeSeconds": {{seconds}} }""")).Problems).Path);
        }

        Assert.Equal([60, 172_800], new[] { 60, 172_800 }.Select(seconds =>
            Parse($$"""{ "id": "c", "room": "r", "name": "C", "code": "C", "rotatingCodeSeconds": {{seconds}} }""").Checkpoints[0].RotatingCodeSeconds!.Value));
    }

    private static SiteDefinition Parse(string checkpoint) =>
        SiteLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Site.Replace("CHECKPOINT", checkpoint))), "site.json");
}
