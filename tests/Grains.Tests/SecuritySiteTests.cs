using System.Text;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Tests;

/// <summary>The security system in the site file: zones, their windows and security rules, accepted or refused with where and why.</summary>
public sealed class SecuritySiteTests
{
    private const string Site = """
    {
      "id": "s", "name": "S", "timeZone": "Asia/Shanghai",
      "buildings": [ { "id": "b", "name": "B", "rooms": [ { "id": "fence", "name": "Fence" }, { "id": "gate", "name": "Gate" } ] } ],
      "devices": [
        { "id": "beam-1", "room": "fence", "system": "security", "secret": "x" },
        { "id": "door-1", "room": "gate", "system": "security", "secret": "x", "heldOpenSeconds": HELD }
      ],
      "zones": [ ZONES ],
      "rules": [ RULES ]
    }
    """;

    private static readonly DateTimeOffset Friday = new(2026, 12, 4, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void ANightlyAndAWeekendWindowArmAZoneThroughTheWeekendAndSayWhenThatChanges()
    {
        var site = Parse(zones: """
            { "id": "perimeter", "name": "P", "rooms": ["fence"],
              "armed": [ { "cron": "0 22 * * *", "minutes": 480 }, { "cron": "0 18 * * 5", "minutes": 3600 } ] }
            """);
        var schedule = new ArmingSchedule(site.Zones[0].Armed, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

        Assert.False(schedule.IsArmed(Friday));
        Assert.Equal(Friday.AddHours(6), schedule.NextChange(Friday));
        Assert.True(schedule.IsArmed(Friday.AddDays(1)));

        // Saturday and Sunday nights overlap the weekend window: one armed stretch until Monday 06:00.
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.FromHours(8)), schedule.NextChange(Friday.AddHours(7)));
        Assert.True(site.Zones[0].Holds(site.Devices[0]));
        Assert.False(site.Zones[0].Holds(site.Devices[1]));
    }

    [Fact]
    public void BadZonesAndSecurityRulesAreRefusedWithEveryProblemNamed()
    {
        var problems = Assert.Throws<SiteInvalidException>(() => Parse(
            held: "0",
            zones: """
                { "id": "za", "name": "", "devices": ["*-1"], "maxDisarmMinutes": 0, "armed": [ { "cron": "nightly", "minutes": 0 } ] },
                { "id": "zb", "name": "B", "rooms": ["fence"] },
                { "id": "zc", "name": "C" }
                """,
            rules: """{ "id": "r", "system": "alarms", "metric": "door", "equals": "open", "class": "loud", "forSecondsFrom": "doorSeconds", "clearForSeconds": -1 }"""))
            .Problems.Select(p => p.Path).ToList();

        Assert.Equal(
        [
            "$.devices[1].heldOpenSeconds", "$.rules[0].system", "$.rules[0].class", "$.rules[0].forSecondsFrom", "$.rules[0].clearForSeconds",
            "$.zones[0].name", "$.zones[0].maxDisarmMinutes", "$.zones[0].armed[0].cron", "$.zones[0].armed[0].minutes",
            "$.zones[1]", "$.zones[2]",
        ], problems);
    }

    private static SiteDefinition Parse(string zones = "", string rules = "", string held = "30") =>
        SiteLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Site.Replace("ZONES", zones).Replace("RULES", rules).Replace("HELD", held))), "site.json");
}
