using System.Text;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Tests;

/// <summary>A small site: every test uses its own devices, so tests sharing the cluster do not meet.</summary>
public static class TestSite
{
    public const string Json = """
    {
      "id": "test", "name": "测试学校 Test School", "timeZone": "Asia/Shanghai",
      "buildings": [
        { "id": "b1", "name": "教学楼 Teaching", "rooms": [
          { "id": "r-volt", "name": "Voltage room" }, { "id": "r-band", "name": "Deadband room" },
          { "id": "r-smoke", "name": "Smoke room" }, { "id": "r-hb", "name": "Heartbeat room" },
          { "id": "r-agg", "name": "Aggregate room" }, { "id": "r-ops", "name": "Operator room" } ] },
        { "id": "dorm", "name": "宿舍楼 Dormitory", "rooms": [ { "id": "dorm-101", "name": "宿舍101" } ] }
      ],
      "devices": [
        { "id": "volt-1", "room": "r-volt", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "volt-2", "room": "r-volt", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "band-1", "room": "r-band", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "smoke-1", "room": "r-smoke", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "hb-1", "room": "r-hb", "system": "water", "secret": "s", "heartbeatSeconds": 60 },
        { "id": "agg-smoke", "room": "r-agg", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "agg-leak", "room": "r-agg", "system": "water", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "ops-smoke", "room": "r-ops", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "dorm-101-power", "room": "dorm-101", "system": "power", "secret": "s", "heartbeatSeconds": 86400 }
      ],
      "rules": [
        { "id": "power-undervoltage", "system": "power", "metric": "voltage", "below": 207,
          "severity": "major", "forSeconds": 10, "deadband": 3 },
        { "id": "dorm-power-after-lights-out", "system": "power", "metric": "mains",
          "equals": true, "rooms": ["dorm-*"], "activeHours": "22:30-06:00", "severity": "warning" }
      ]
    }
    """;

    public static SiteDefinition Definition { get; } = SiteLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Json)), "test-site.json");
}
