namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A site of one's own for the end-to-end tests, written to a file like a user would.</summary>
public static class E2eSite
{
    public const string Json = """
    {
      "id": "e2e", "name": "中南路小学 E2E", "timeZone": "Asia/Shanghai",
      "buildings": [
        { "id": "teach-1", "name": "第一教学楼", "rooms": [
          { "id": "teach-1-101", "name": "一年级一班", "floor": 1 },
          { "id": "teach-1-102", "name": "一年级二班", "floor": 1 } ] },
        { "id": "plant", "name": "设备楼", "rooms": [ { "id": "plant-switch", "name": "配电室" } ] },
        { "id": "lab", "name": "实验楼", "rooms": [ { "id": "lab-1", "name": "化学实验室" } ] },
        { "id": "annex", "name": "附楼", "rooms": [ { "id": "annex-1", "name": "弱电间" }, { "id": "annex-2", "name": "锅炉房" } ] },
        { "id": "hall", "name": "礼堂", "rooms": [ { "id": "hall-1", "name": "礼堂 Hall" } ] }
      ],
      "devices": [
        { "id": "smoke-101", "room": "teach-1-101", "system": "fire", "model": "smoke-detector", "secret": "s3cr3t", "heartbeatSeconds": 8640000 },
        { "id": "smoke-102", "room": "teach-1-102", "system": "fire", "secret": "other-secret", "heartbeatSeconds": 8640000 },
        { "id": "smoke-ops", "room": "teach-1-102", "system": "fire", "secret": "ops", "heartbeatSeconds": 8640000 },
        { "id": "gate-cam", "room": "teach-1-102", "system": "power", "model": "ups", "secret": "cam", "heartbeatSeconds": 8640000 },
        { "id": "gate-will", "room": "teach-1-102", "system": "power", "model": "ups", "secret": "will", "heartbeatSeconds": 8640000 },
        { "id": "smoke-restart", "room": "teach-1-102", "system": "fire", "secret": "restart", "heartbeatSeconds": 8640000 },
        { "id": "smoke-latency", "room": "teach-1-101", "system": "fire", "secret": "fast", "heartbeatSeconds": 8640000 },
        { "id": "heat-1", "room": "teach-1-102", "system": "fire", "model": "heat-detector", "secret": "hot", "heartbeatSeconds": 8640000 },
        { "id": "chatter-1", "room": "plant-switch", "system": "fire", "secret": "flip", "heartbeatSeconds": 8640000 },
        { "id": "page-1", "room": "plant-switch", "system": "fire", "secret": "p", "heartbeatSeconds": 8640000 },
        { "id": "page-2", "room": "plant-switch", "system": "fire", "secret": "p", "heartbeatSeconds": 8640000 },
        { "id": "page-3", "room": "plant-switch", "system": "fire", "secret": "p", "heartbeatSeconds": 8640000 },
        { "id": "smoke-sound", "room": "annex-1", "system": "fire", "secret": "loud", "heartbeatSeconds": 8640000 },
        { "id": "smoke-sound-2", "room": "annex-1", "system": "fire", "secret": "loud", "heartbeatSeconds": 8640000 },
        { "id": "smoke-filter", "room": "teach-1-102", "system": "fire", "secret": "f", "heartbeatSeconds": 8640000 },
        { "id": "smoke-named", "name": "102 烟感 Smoke 102", "room": "teach-1-102", "system": "fire", "secret": "f", "heartbeatSeconds": 8640000 },
        { "id": "volt-ui", "room": "plant-switch", "system": "power", "secret": "v", "heartbeatSeconds": 8640000 },
        { "id": "smoke-ui", "room": "teach-1-101", "system": "fire", "secret": "ui", "heartbeatSeconds": 8640000 },
        { "id": "shelf-ui-1", "room": "teach-1-101", "system": "fire", "secret": "ui", "heartbeatSeconds": 8640000 },
        { "id": "oos-ui", "room": "lab-1", "system": "fire", "secret": "ui", "heartbeatSeconds": 8640000 },
        { "id": "blip-1", "room": "annex-1", "system": "power", "secret": "blip", "heartbeatSeconds": 8640000 },
        { "id": "blip-2", "room": "annex-1", "system": "power", "secret": "blip", "heartbeatSeconds": 8640000 },
        { "id": "blip-3", "room": "annex-1", "system": "power", "secret": "blip", "heartbeatSeconds": 8640000 },
        { "id": "blip-4", "room": "annex-1", "system": "power", "secret": "blip", "heartbeatSeconds": 8640000 },
        { "id": "blip-5", "room": "annex-1", "system": "power", "secret": "blip", "heartbeatSeconds": 8640000 },
        { "id": "oos-api", "room": "lab-1", "system": "fire", "secret": "api", "heartbeatSeconds": 8640000 },
        { "id": "drill-ui", "room": "lab-1", "system": "fire", "secret": "ui", "heartbeatSeconds": 8640000 },
        { "id": "shelf-ui-2", "room": "teach-1-101", "system": "fire", "secret": "ui", "heartbeatSeconds": 8640000 },
        { "id": "shelf-ui-3", "room": "teach-1-101", "system": "fire", "secret": "ui", "heartbeatSeconds": 8640000 },
        { "id": "shelf-api-1", "room": "teach-1-101", "system": "fire", "secret": "api", "heartbeatSeconds": 8640000 },
        { "id": "shelf-api-2", "room": "teach-1-101", "system": "fire", "secret": "api", "heartbeatSeconds": 8640000 },
        { "id": "meter-1", "room": "plant-switch", "system": "power", "secret": "m", "heartbeatSeconds": 8640000 },
        { "id": "bad-input", "room": "plant-switch", "system": "water", "secret": "b", "heartbeatSeconds": 8640000 },
        { "id": "o2-gauge", "room": "annex-2", "system": "gas", "secret": "o2", "heartbeatSeconds": 8640000 },
        { "id": "history-1", "room": "annex-2", "system": "power", "secret": "h", "heartbeatSeconds": 8640000 },
        { "id": "flood-1", "room": "annex-1", "system": "power", "secret": "fl", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-1", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-2", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-3", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-4", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-5", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-6", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-7", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 },
        { "id": "hall-smoke-8", "room": "hall-1", "system": "fire", "secret": "hall", "heartbeatSeconds": 8640000 }
      ],
      "checkpoints": [
        { "id": "cp-101", "room": "teach-1-101", "name": "101 门", "code": "T1-101-7F3A", "everyMinutes": 120, "graceMinutes": 10,
          "checklist": ["Door locked", "Extinguisher present"] },
        { "id": "cp-minute", "room": "teach-1-102", "name": "102 门", "code": "T1-102-0001", "everyMinutes": 1, "graceMinutes": 0 },
        { "id": "cp-lonely", "room": "plant-switch", "name": "配电柜 Switchgear", "code": "PL-SW-9", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-annex", "room": "annex-2", "name": "锅炉 Boiler", "code": "AX-2", "everyMinutes": 600, "graceMinutes": 0 },
        { "id": "cp-phone", "room": "teach-1-101", "name": "101 灭火器 Extinguisher", "code": "PH-4411", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": ["Pressure in green", "Seal intact"] },
        { "id": "cp-ui", "room": "teach-1-102", "name": "攀爬架 Climbing frame", "code": "UI-7788", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": ["Bolts tight", "Mats intact"] },
        { "id": "cp-o2", "room": "annex-2", "name": "氧气汇流排 O2 manifold", "code": "O2-5150", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": [ { "item": "Gauge (kPa)", "reading": { "device": "o2-gauge", "metric": "o2Pressure", "tolerance": 20 } }, "No grease" ] },
        { "id": "cp-o2-phone", "room": "annex-2", "name": "氧气汇流排 O2 manifold B", "code": "O2-5151", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": [ { "item": "Gauge (kPa)", "reading": { "device": "o2-gauge", "metric": "o2Pressure", "tolerance": 20 } }, "No grease" ] },
        { "id": "cp-display", "room": "annex-2", "name": "锅炉房门 Boiler door", "code": "display-key-e2e-0123456789", "everyMinutes": 100000,
          "graceMinutes": 0, "rotatingCodeSeconds": 30 },
        { "id": "cp-photo", "room": "teach-1-102", "name": "灭火器 B Extinguisher B", "code": "PHOTO-1", "everyMinutes": 600, "graceMinutes": 0,
          "checklist": ["Seal intact"] },
        { "id": "cp-weekly", "room": "annex-2", "name": "周检 Weekly ledger", "code": "WK-1", "schedule": "0 9 * * 1", "withinMinutes": 480,
          "checklist": ["Bolts tight"] }
      ],
      "routes": [
        { "id": "night-round", "name": "夜间巡查", "checkpoints": ["cp-101"], "startEveryMinutes": 60, "completeWithinMinutes": 40 },
        { "id": "switch-round", "name": "配电巡检 Switch round", "checkpoints": ["cp-lonely"], "startEveryMinutes": 60, "completeWithinMinutes": 40 }
      ],
      "rules": [
        { "id": "power-undervoltage", "system": "power", "metric": "voltage", "below": 207, "severity": "major", "deadband": 3 }
      ]
    }
    """;

    public static string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "site.json");
        File.WriteAllText(file, Json);
        return file;
    }
}
