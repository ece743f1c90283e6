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
          { "id": "r-agg", "name": "Aggregate room" }, { "id": "r-ops", "name": "Operator room" },
          { "id": "r-pat", "name": "Patrol room" }, { "id": "r-oos", "name": "Repair room" },
          { "id": "r-move", "name": "Moving room" } ] },
        { "id": "b-drill", "name": "实验楼 Labs", "rooms": [ { "id": "r-drill", "name": "化学实验室" } ] },
        { "id": "dorm", "name": "宿舍楼 Dormitory", "rooms": [ { "id": "dorm-101", "name": "宿舍101" } ] },
        { "id": "gate", "name": "门卫 Gate", "rooms": [ { "id": "gate-house", "name": "门卫室 Gate house" }, { "id": "fence", "name": "围墙 Fence" } ] }
      ],
      "devices": [
        { "id": "volt-1", "room": "r-volt", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "volt-2", "room": "r-volt", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "band-1", "room": "r-band", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "smoke-1", "room": "r-smoke", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "smoke-batch", "room": "r-smoke", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "hb-1", "room": "r-hb", "system": "water", "secret": "s", "heartbeatSeconds": 60 },
        { "id": "offdelay-flood", "room": "r-oos", "system": "water", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "hb-lost", "room": "r-hb", "system": "water", "secret": "s", "heartbeatSeconds": 60 },
        { "id": "hb-long", "room": "r-hb", "system": "water", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "agg-smoke", "room": "r-agg", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "agg-leak", "room": "r-agg", "system": "water", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "store-smoke", "room": "r-ops", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "ops-smoke", "room": "r-ops", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "shelf-smoke", "room": "r-ops", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "oos-smoke", "room": "r-oos", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "chatter-smoke", "room": "r-oos", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "chatter-back-smoke", "room": "r-oos", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "history-smoke", "room": "r-oos", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "legacy-smoke", "room": "r-oos", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "move-smoke", "room": "r-move", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "drill-smoke", "room": "r-drill", "system": "fire", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "dorm-101-power", "room": "dorm-101", "system": "power", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "o2-1", "room": "r-pat", "system": "gas", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "beam-1", "room": "fence", "system": "security", "model": "perimeter-beam", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "beam-2", "room": "fence", "system": "security", "model": "perimeter-beam", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "door-1", "room": "gate-house", "system": "security", "model": "door-contact", "secret": "s", "heartbeatSeconds": 8640000, "heldOpenSeconds": 60 },
        { "id": "door-ops", "room": "gate-house", "system": "security", "model": "door-contact", "secret": "s", "heartbeatSeconds": 8640000, "heldOpenSeconds": 30 },
        { "id": "cam-1", "room": "gate-house", "system": "security", "model": "camera", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "panic-1", "room": "r-drill", "system": "security", "model": "panic-button", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "tamper-1", "room": "r-volt", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "class-smoke", "room": "r-smoke", "system": "fire", "secret": "s", "heartbeatSeconds": 8640000 },
        { "id": "class-hb", "room": "r-hb", "system": "water", "secret": "s", "heartbeatSeconds": 86400 },
        { "id": "save-meter", "room": "r-volt", "system": "power", "secret": "s", "heartbeatSeconds": 8640000 }
      ],
      "zones": [
        { "id": "night", "name": "夜间周界 Night perimeter", "devices": ["beam-*", "door-1"], "maxDisarmMinutes": 60,
          "armed": [ { "cron": "0 22 * * *", "minutes": 480 } ] },
        { "id": "ops", "name": "值班室门 Duty room door", "devices": ["door-ops"] }
      ],
      "checkpoints": [
        { "id": "cp-due", "room": "r-pat", "name": "Due door", "code": "DUE-1", "everyMinutes": 10, "graceMinutes": 2 },
        { "id": "cp-night", "room": "r-pat", "name": "Night door", "code": "NIGHT-1", "everyMinutes": 60, "graceMinutes": 0, "activeHours": "22:00-06:00" },
        { "id": "cp-dup", "room": "r-pat", "name": "Dup door", "code": "DUP-1", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-display", "room": "r-pat", "name": "Display door", "code": "display-key-0123456789", "everyMinutes": 6000, "graceMinutes": 0, "rotatingCodeSeconds": 30 },
        { "id": "cp-daycode", "room": "r-pat", "name": "Daily label", "code": "daily-key-0123456789", "everyMinutes": 6000, "graceMinutes": 0, "rotatingCodeSeconds": 86400 },
        { "id": "cp-find", "room": "r-pat", "name": "Climbing frame", "code": "FIND-1", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": ["Bolts tight", "Mats intact"] },
        { "id": "cp-r1", "room": "r-pat", "name": "Round one A", "code": "R1", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-r2", "room": "r-pat", "name": "Round one B", "code": "R2", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-r3", "room": "r-pat", "name": "Round one C", "code": "R3", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-m1", "room": "r-pat", "name": "Missed A", "code": "M1", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-m2", "room": "r-pat", "name": "Missed B gate", "code": "M2", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-s1", "room": "r-pat", "name": "Silent A", "code": "S1", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-s2", "room": "r-pat", "name": "Silent B", "code": "S2", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-q0", "room": "r-pat", "name": "Quiet desk", "code": "Q0", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-q1", "room": "r-pat", "name": "Quiet A", "code": "Q1", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-late", "room": "r-pat", "name": "Late A", "code": "L1", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-daily", "room": "r-pat", "name": "Daily ledger", "code": "DAY-1", "schedule": "0 8 * * *", "withinMinutes": 60 },
        { "id": "cp-gauge", "room": "r-pat", "name": "Oxygen manifold", "code": "O2-1", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": [ { "item": "Manifold gauge (kPa)", "reading": { "device": "o2-1", "metric": "o2Pressure", "tolerance": 20 } }, "No grease" ] }
      ],
      "routes": [
        { "id": "route-order", "name": "Order round", "checkpoints": ["cp-r1", "cp-r2", "cp-r3"], "startEveryMinutes": 120, "completeWithinMinutes": 40 },
        { "id": "route-miss", "name": "Miss round", "checkpoints": ["cp-m1", "cp-m2"], "startEveryMinutes": 120, "completeWithinMinutes": 40 },
        { "id": "route-silent", "name": "Silent round", "checkpoints": ["cp-s1", "cp-s2"], "startEveryMinutes": 120, "completeWithinMinutes": 60 },
        { "id": "route-quiet", "name": "Quiet round", "checkpoints": ["cp-q1", "cp-s2"], "startEveryMinutes": 120, "completeWithinMinutes": 60 },
        { "id": "route-late", "name": "Late round", "checkpoints": ["cp-late"], "startEveryMinutes": 120, "completeWithinMinutes": 40 },
        { "id": "route-away", "name": "Away round", "checkpoints": ["cp-late"], "startEveryMinutes": 120, "completeWithinMinutes": 40 },
        { "id": "route-jump", "name": "Jump round", "checkpoints": ["cp-late"], "startEveryMinutes": 120, "completeWithinMinutes": 40 }
      ],
      "rules": [
        { "id": "water-flood", "system": "water", "metric": "flood", "equals": true, "devices": ["offdelay-*"],
          "clearForSeconds": 30, "severity": "major" },
        { "id": "power-undervoltage", "system": "power", "metric": "voltage", "below": 207,
          "severity": "major", "forSeconds": 10, "deadband": 3 },
        { "id": "dorm-power-after-lights-out", "system": "power", "metric": "mains",
          "equals": true, "rooms": ["dorm-*"], "activeHours": "22:30-06:00", "severity": "warning" }
      ]
    }
    """;

    public static SiteDefinition Definition { get; } = SiteLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Json)), "test-site.json");
}
