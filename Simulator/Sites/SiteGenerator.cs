using System.Security.Cryptography;
using System.Text;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Sites;

/// <summary>What to generate: campuses of buildings, rooms, devices and checkpoints.</summary>
public sealed record GeneratorOptions
{
    public int Campuses { get; init; } = 1;
    public int RoomsPerBuilding { get; init; } = 8;
    public int DevicesPerRoom { get; init; } = 2;
    public int CheckpointsPerCampus { get; init; } = 30;
    public int CheckpointEveryMinutes { get; init; } = 120;
    public int CheckpointGraceMinutes { get; init; } = 10;

    /// <summary>Checkpoints (over the whole site) due every 1–3 minutes, to measure overdue detection.</summary>
    public int FastCheckpoints { get; init; }

    public int HeartbeatSeconds { get; init; } = 300;

    /// <summary>Door contacts on each campus, spread over its rooms, in a door zone of the campus.</summary>
    public int DoorsPerCampus { get; init; }

    /// <summary>The door zone is armed 22:00–06:00; otherwise it has no schedule (disarmed: school hours).</summary>
    public bool DoorsArmedNightly { get; init; } = true;

    /// <summary>Each campus gets a gate house with a perimeter of beams (armed nightly), cameras and a panic button.</summary>
    public bool Security { get; init; }

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Generates a valid site file of N campuses, each shaped like a Chinese primary school with a
/// clinic wing: teaching buildings, a dormitory, a canteen with kitchen gas, a plant room and a
/// clinic with an oxygen manifold, with a realistic mix of power, water, fire and gas devices; and, when asked, the
/// security system: door contacts, a perimeter, cameras and a panic button.
/// </summary>
public static class SiteGenerator
{
    private static readonly ArmingWindow Nightly = new() { Cron = "0 22 * * *", Minutes = 480 };

    private static readonly (string Id, string Name, (string System, string Model)[] Devices)[] Buildings =
    [
        ("teach-1", "第一教学楼 Teaching Building 1", [("fire", "smoke-detector"), ("power", "power-meter")]),
        ("teach-2", "第二教学楼 Teaching Building 2", [("fire", "smoke-detector"), ("power", "power-meter")]),
        ("dorm", "学生宿舍楼 Dormitory", [("fire", "smoke-detector"), ("power", "power-meter"), ("water", "leak-sensor")]),
        ("canteen", "食堂 Canteen", [("gas", "gas-detector"), ("fire", "heat-detector"), ("power", "power-meter"), ("water", "leak-sensor")]),
        ("plant", "设备楼 Plant house", [("power", "power-meter"), ("water", "pressure-sensor"), ("fire", "fire-alarm-panel"), ("water", "level-sensor")]),
        ("clinic", "医务楼 Clinic wing", [("gas", "o2-manifold"), ("fire", "smoke-detector"), ("power", "ups")]),
    ];

    /// <summary>Each campus a site of its own (docs/interface.md §13), for a folder of site files; ids are unique across them.</summary>
    public static IEnumerable<SiteDefinition> GenerateSites(GeneratorOptions options)
    {
        var all = Generate(options);
        foreach (var campus in all.Buildings.Select(b => b.Id[..b.Id.IndexOf('-')]).Distinct())
        {
            var prefix = campus + "-";
            yield return all with
            {
                Id = campus,
                Name = $"{campus} 校区 Campus {campus[1..]}",
                Buildings = [.. all.Buildings.Where(b => b.Id.StartsWith(prefix, StringComparison.Ordinal))],
                Devices = [.. all.Devices.Where(d => d.Id.StartsWith(prefix, StringComparison.Ordinal))],
                Checkpoints = [.. all.Checkpoints.Where(c => c.Id.StartsWith(prefix, StringComparison.Ordinal))],
                Routes = [.. all.Routes.Where(r => r.Id.StartsWith(prefix, StringComparison.Ordinal))],
                Zones = [.. all.Zones.Where(z => z.Id.StartsWith(prefix, StringComparison.Ordinal))],
            };
        }
    }

    public static SiteDefinition Generate(GeneratorOptions options)
    {
        var random = new Random(options.Seed);
        List<BuildingDefinition> buildings = [];
        List<DeviceDefinition> devices = [];
        List<CheckpointDefinition> checkpoints = [];
        List<RouteDefinition> routes = [];
        List<ZoneDefinition> zones = [];
        var fastLeft = options.FastCheckpoints;

        for (var c = 0; c < options.Campuses; c++)
        {
            var campus = $"c{c:D4}";
            List<string> campusRooms = [];
            foreach (var (buildingId, buildingName, kinds) in Buildings)
            {
                List<RoomDefinition> rooms = [];
                for (var r = 0; r < options.RoomsPerBuilding; r++)
                {
                    var roomId = $"{campus}-{buildingId}-{r + 1:D2}";
                    rooms.Add(new RoomDefinition { Id = roomId, Name = $"{buildingName} {r / 4 + 1}{r % 4 + 1:D2}", Floor = r / 4 + 1 });
                    campusRooms.Add(roomId);
                    for (var d = 0; d < options.DevicesPerRoom; d++)
                    {
                        var (system, model) = kinds[(r + d) % kinds.Length];
                        var id = $"{roomId}-{model}-{d + 1}";
                        devices.Add(new DeviceDefinition { Id = id, Room = roomId, System = system, Model = model, Secret = Secret(id, options.Seed), HeartbeatSeconds = options.HeartbeatSeconds });
                    }
                }

                buildings.Add(new BuildingDefinition { Id = $"{campus}-{buildingId}", Name = $"{campus} {buildingName}", Rooms = rooms });
            }

            AddSecurity(options, campus, campusRooms, buildings, devices, zones);

            List<string> campusCheckpoints = [];
            for (var k = 0; k < options.CheckpointsPerCampus; k++)
            {
                var room = campusRooms[k % campusRooms.Count];
                var id = $"{campus}-cp-{k + 1:D3}";
                var fast = fastLeft-- > 0;
                checkpoints.Add(new CheckpointDefinition
                {
                    Id = id,
                    Room = room,
                    Name = $"巡查点 Checkpoint {k + 1} ({room})",
                    Code = Secret(id, options.Seed)[..8].ToUpperInvariant(),
                    EveryMinutes = fast ? random.Next(1, 4) : options.CheckpointEveryMinutes,
                    GraceMinutes = fast ? 0 : options.CheckpointGraceMinutes,
                    Checklist = ["门已上锁 Door locked", "灭火器在位 Extinguisher present"],
                });
                campusCheckpoints.Add(id);
            }

            if (campusCheckpoints.Count > 0)
            {
                routes.Add(new RouteDefinition { Id = $"{campus}-night-round", Name = $"{campus} 夜间巡查 Night round", Checkpoints = [.. campusCheckpoints.Take(10)], StartEveryMinutes = 120, CompleteWithinMinutes = 45, ActiveHours = "22:00-06:00" });
                routes.Add(new RouteDefinition { Id = $"{campus}-plant-round", Name = $"{campus} 设备巡检 Plant round", Checkpoints = [.. campusCheckpoints.Skip(10).Take(6)], StartEveryMinutes = 240, CompleteWithinMinutes = 40 });
            }
        }

        return new SiteDefinition
        {
            Id = options.Campuses == 1 ? "generated" : $"generated-{options.Campuses}",
            Name = $"Generated campus group ({options.Campuses} campuses)",
            TimeZone = "Asia/Shanghai",
            Buildings = buildings,
            Devices = devices,
            Checkpoints = checkpoints,
            Routes = [.. routes.Where(r => r.Checkpoints.Count > 0)],
            Zones = zones,
        };
    }

    private static void AddSecurity(GeneratorOptions options, string campus, List<string> campusRooms, List<BuildingDefinition> buildings,
        List<DeviceDefinition> devices, List<ZoneDefinition> zones)
    {
        DeviceDefinition Device(string id, string room, string model, int? heldOpenSeconds = null) => new()
        {
            Id = id, Room = room, System = "security", Model = model, Secret = Secret(id, options.Seed), HeartbeatSeconds = options.HeartbeatSeconds,
            HeldOpenSeconds = heldOpenSeconds,
        };

        if (options.DoorsPerCampus > 0 && campusRooms.Count > 0)
        {
            for (var d = 0; d < options.DoorsPerCampus; d++)
            {
                devices.Add(Device($"{campus}-door-{d + 1:D4}", campusRooms[d % campusRooms.Count], "door-contact", heldOpenSeconds: 60));
            }

            zones.Add(new ZoneDefinition
            {
                Id = $"{campus}-doors", Name = $"{campus} 门禁 Doors", Devices = [$"{campus}-door-*"], Armed = options.DoorsArmedNightly ? [Nightly] : [],
            });
        }

        if (options.Security)
        {
            string[] sides = ["north", "east", "south", "west"];
            buildings.Add(new BuildingDefinition
            {
                Id = $"{campus}-gate",
                Name = $"{campus} 校门 Gate",
                Rooms =
                [
                    new RoomDefinition { Id = $"{campus}-gate-house", Name = "门卫室 Gate house", Floor = 1 },
                    .. sides.Select(side => new RoomDefinition { Id = $"{campus}-fence-{side}", Name = $"围墙 Fence ({side})", Floor = 1 }),
                ],
            });
            devices.AddRange(sides.Select(side => Device($"{campus}-fence-{side}-beam", $"{campus}-fence-{side}", "perimeter-beam")));
            devices.Add(Device($"{campus}-gate-camera", $"{campus}-gate-house", "camera"));
            devices.Add(Device($"{campus}-gate-nvr", $"{campus}-gate-house", "nvr"));
            devices.Add(Device($"{campus}-gate-panic", $"{campus}-gate-house", "panic-button"));
            zones.Add(new ZoneDefinition { Id = $"{campus}-perimeter", Name = $"{campus} 周界 Perimeter", Rooms = [$"{campus}-fence-*"], Armed = [Nightly] });
        }
    }

    public static string Secret(string id, int seed) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{id}")))[..16];
}
