using System.Text.Json;
using System.Text.RegularExpressions;

namespace SafetyPatrol.Sites;

/// <summary>Checks a site definition and lists every problem with its JSON path; it stops at nothing.</summary>
public static partial class SiteValidator
{
    public static readonly IReadOnlySet<string> Systems = new HashSet<string>(["power", "water", "fire", "gas", "security"]);

    /// <summary>A rule's <c>system</c> may also be this: every device of every system (tamper).</summary>
    public const string AnySystem = "*";

    /// <summary>The device setting a rule may take its on-delay from.</summary>
    public const string HeldOpenSeconds = "heldOpenSeconds";

    private const string SystemList = "power, water, fire, gas, security";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();

    /// <summary>
    /// What is wrong between the sites of one deployment, each valid alone: two sites with the same id, or an id (of a
    /// building, room, device, checkpoint, route or zone) used by two sites. Devices publish under their own id alone
    /// (docs/interface.md §3), so every id is the deployment's.
    /// </summary>
    public static IReadOnlyList<SiteProblem> ValidateTogether(IReadOnlyList<(SiteDefinition Site, string File)> sites)
    {
        var problems = new List<SiteProblem>();
        var owners = new Dictionary<string, (string Site, string File)>(StringComparer.Ordinal);
        var siteIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (site, file) in sites)
        {
            if (!siteIds.TryAdd(site.Id, file))
            {
                problems.Add(new SiteProblem(file, "$.id", $"site '{site.Id}' is already defined in {siteIds[site.Id]}"));
                continue;
            }

            IEnumerable<(string Path, string Id)> Ids()
            {
                yield return ("$.id", site.Id);
                for (var b = 0; b < site.Buildings.Count; b++)
                {
                    yield return ($"$.buildings[{b}].id", site.Buildings[b].Id);
                    for (var r = 0; r < site.Buildings[b].Rooms.Count; r++)
                    {
                        yield return ($"$.buildings[{b}].rooms[{r}].id", site.Buildings[b].Rooms[r].Id);
                    }
                }

                for (var i = 0; i < site.Devices.Count; i++)
                {
                    yield return ($"$.devices[{i}].id", site.Devices[i].Id);
                }

                for (var i = 0; i < site.Checkpoints.Count; i++)
                {
                    yield return ($"$.checkpoints[{i}].id", site.Checkpoints[i].Id);
                }

                for (var i = 0; i < site.Routes.Count; i++)
                {
                    yield return ($"$.routes[{i}].id", site.Routes[i].Id);
                }

                for (var i = 0; i < site.Zones.Count; i++)
                {
                    yield return ($"$.zones[{i}].id", site.Zones[i].Id);
                }
            }

            foreach (var (path, id) in Ids())
            {
                if (owners.TryGetValue(id, out var owner) && owner.Site != site.Id)
                {
                    problems.Add(new SiteProblem(file, path, $"'{id}' is already used by site '{owner.Site}' ({owner.File}); ids are unique across all sites"));
                }
                else
                {
                    owners.TryAdd(id, (site.Id, file));
                }
            }
        }

        return problems;
    }

    public static IReadOnlyList<SiteProblem> Validate(SiteDefinition site, string file)
    {
        var problems = new List<SiteProblem>();
        void Problem(string path, string reason) => problems.Add(new SiteProblem(file, path, reason));

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        void Id(string path, string id)
        {
            if (!IdPattern().IsMatch(id))
            {
                Problem(path + ".id", $"'{id}' is not a valid id ([A-Za-z0-9._-], 1 to 64 characters)");
            }
            else if (!ids.TryAdd(id, path))
            {
                Problem(path + ".id", $"'{id}' is already used at {ids[id]}");
            }
        }

        void Window(string path, string? text)
        {
            if (!TimeWindow.TryParse(text, out _))
            {
                Problem(path + ".activeHours", $"'{text}' is not HH:mm-HH:mm");
            }
        }

        void Required(string path, string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Problem($"{path}.{name}", "is required");
            }
        }

        Id("$", site.Id);
        Required("$", site.Name, "name");
        if (!TryFindZone(site.TimeZone, out _))
        {
            Problem("$.timeZone", $"'{site.TimeZone}' is not a known time zone");
        }

        if (site.Buildings.Count == 0)
        {
            Problem("$.buildings", "a site needs at least one building");
        }

        var rooms = new HashSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < site.Buildings.Count; b++)
        {
            var building = site.Buildings[b];
            var path = $"$.buildings[{b}]";
            Id(path, building.Id);
            Required(path, building.Name, "name");
            for (var r = 0; r < building.Rooms.Count; r++)
            {
                var room = building.Rooms[r];
                Id($"{path}.rooms[{r}]", room.Id);
                Required($"{path}.rooms[{r}]", room.Name, "name");
                rooms.Add(room.Id);
            }
        }

        for (var d = 0; d < site.Devices.Count; d++)
        {
            var device = site.Devices[d];
            var path = $"$.devices[{d}]";
            Id(path, device.Id);
            if (!rooms.Contains(device.Room))
            {
                Problem(path + ".room", $"'{device.Room}' is not a room of this site");
            }

            if (!Systems.Contains(device.System))
            {
                Problem(path + ".system", $"'{device.System}' is not one of {SystemList}");
            }

            Required(path, device.Secret, "secret");
            if (device.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 100))
            {
                Problem(path + ".name", "must be 1 to 100 characters when given");
            }

            if (device.HeartbeatSeconds <= 0)
            {
                Problem(path + ".heartbeatSeconds", "must be greater than 0");
            }

            if (device.HeldOpenSeconds is <= 0)
            {
                Problem(path + ".heldOpenSeconds", "must be greater than 0");
            }
        }

        var checkpoints = new HashSet<string>(StringComparer.Ordinal);
        var gauges = new List<(string Path, GaugeReading Reading)>();
        for (var c = 0; c < site.Checkpoints.Count; c++)
        {
            var checkpoint = site.Checkpoints[c];
            var path = $"$.checkpoints[{c}]";
            Id(path, checkpoint.Id);
            checkpoints.Add(checkpoint.Id);
            if (!rooms.Contains(checkpoint.Room))
            {
                Problem(path + ".room", $"'{checkpoint.Room}' is not a room of this site");
            }

            Required(path, checkpoint.Name, "name");
            Required(path, checkpoint.Code, "code");
            if (checkpoint.RotatingCodeSeconds is { } rotating && (rotating < 30 || rotating > 7 * 86_400 || rotating >= 86_400 && rotating % 86_400 != 0))
            {
                Problem(path + ".rotatingCodeSeconds", $"{rotating} is not a code period: 30 s to a day for a display, or whole days (86400, 172800, …) up to a week for a label");
            }

            if (checkpoint.Schedule is { } schedule)
            {
                if (!CheckpointSchedule.TryParse(schedule, out _, out var why))
                {
                    Problem(path + ".schedule", $"'{schedule}' is not a 5-field cron expression: {why}");
                }

                if (checkpoint.WithinMinutes is not > 0)
                {
                    Problem(path + ".withinMinutes", "a scheduled checkpoint needs withinMinutes greater than 0");
                }

                if (checkpoint.ActiveHours is not null)
                {
                    Problem(path + ".activeHours", "a scheduled checkpoint is due at its schedule's times: leave activeHours out");
                }
            }
            else if (checkpoint.WithinMinutes is not null)
            {
                Problem(path + ".withinMinutes", "only with a schedule; an interval checkpoint uses everyMinutes and graceMinutes");
            }
            else if (checkpoint.EveryMinutes <= 0)
            {
                Problem(path + ".everyMinutes", "must be greater than 0");
            }

            var items = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < checkpoint.Checklist.Count; i++)
            {
                var entry = checkpoint.Checklist[i];
                if (string.IsNullOrWhiteSpace(entry.Item))
                {
                    Problem($"{path}.checklist[{i}].item", "is required");
                }
                else if (!items.Add(entry.Item))
                {
                    Problem($"{path}.checklist[{i}].item", $"'{entry.Item}' is on this checklist twice");
                }

                if (entry.Reading is { } reading)
                {
                    gauges.Add(($"{path}.checklist[{i}].reading", reading));
                }
            }

            if (checkpoint.GraceMinutes < 0)
            {
                Problem(path + ".graceMinutes", "must not be negative");
            }

            Window(path, checkpoint.ActiveHours);
        }

        var devices = site.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, reading) in gauges)
        {
            if (!devices.Contains(reading.Device))
            {
                Problem(path + ".device", $"'{reading.Device}' is not a device of this site");
            }

            Required(path, reading.Metric, "metric");
            if (reading.Tolerance < 0 || !double.IsFinite(reading.Tolerance))
            {
                Problem(path + ".tolerance", "must be a number, 0 or more");
            }
        }

        for (var r = 0; r < site.Routes.Count; r++)
        {
            var route = site.Routes[r];
            var path = $"$.routes[{r}]";
            Id(path, route.Id);
            Required(path, route.Name, "name");
            if (route.Checkpoints.Count == 0)
            {
                Problem(path + ".checkpoints", "a route needs at least one checkpoint");
            }

            for (var i = 0; i < route.Checkpoints.Count; i++)
            {
                if (!checkpoints.Contains(route.Checkpoints[i]))
                {
                    Problem($"{path}.checkpoints[{i}]", $"'{route.Checkpoints[i]}' is not a checkpoint of this site");
                }
            }

            if (route.StartEveryMinutes <= 0)
            {
                Problem(path + ".startEveryMinutes", "must be greater than 0");
            }

            if (route.CompleteWithinMinutes <= 0)
            {
                Problem(path + ".completeWithinMinutes", "must be greater than 0");
            }
            else if (route.CompleteWithinMinutes > route.StartEveryMinutes)
            {
                Problem(path + ".completeWithinMinutes", "must not be longer than startEveryMinutes: a round must end before the next one starts");
            }

            Window(path, route.ActiveHours);
        }

        // Rule ids live in their own namespace: a site rule replaces the default rule of the same id.
        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < site.Rules.Count; r++)
        {
            var path = $"$.rules[{r}]";
            var rule = site.Rules[r];
            if (!IdPattern().IsMatch(rule.Id))
            {
                Problem(path + ".id", $"'{rule.Id}' is not a valid id");
            }
            else if (!ruleIds.Add(rule.Id))
            {
                Problem(path + ".id", $"rule '{rule.Id}' is defined twice");
            }

            foreach (var (p, reason) in ValidateRule(rule))
            {
                Problem(path + p, reason);
            }
        }

        ValidateZones(site, Id, Problem);
        return problems;
    }

    private static void ValidateZones(SiteDefinition site, Action<string, string> id, Action<string, string> problem)
    {
        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var z = 0; z < site.Zones.Count; z++)
        {
            var zone = site.Zones[z];
            var path = $"$.zones[{z}]";
            id(path, zone.Id);
            if (string.IsNullOrWhiteSpace(zone.Name))
            {
                problem(path + ".name", "is required");
            }

            if (zone.Rooms is null && zone.Devices is null)
            {
                problem(path, "a zone names its rooms or devices (globs)");
            }

            if (zone.MaxDisarmMinutes is < 1 or > 1440)
            {
                problem(path + ".maxDisarmMinutes", "must be from 1 to 1440");
            }

            for (var w = 0; w < zone.Armed.Count; w++)
            {
                var window = zone.Armed[w];
                if (!CheckpointSchedule.TryParse(window.Cron, out _, out var why))
                {
                    problem($"{path}.armed[{w}].cron", $"'{window.Cron}' is not a 5-field cron expression: {why}");
                }

                if (window.Minutes is < 1 or > 10080)
                {
                    problem($"{path}.armed[{w}].minutes", "must be from 1 to 10080 (a week)");
                }
            }

            foreach (var device in site.Devices.Where(zone.Holds))
            {
                if (!zoneOf.TryAdd(device.Id, zone.Id))
                {
                    problem(path, $"device '{device.Id}' is already in zone '{zoneOf[device.Id]}': a device belongs to one zone");
                }
            }
        }
    }

    /// <summary>Problems of one rule, as (path suffix, reason).</summary>
    public static IEnumerable<(string Path, string Reason)> ValidateRule(RuleDefinition rule)
    {
        if (!Systems.Contains(rule.System) && rule.System != AnySystem)
        {
            yield return (".system", $"'{rule.System}' is not one of {SystemList}, or * for every system");
        }

        if (rule.Class is not null && !Alerts.AlarmClass.IsValid(rule.Class))
        {
            yield return (".class", $"'{rule.Class}' is not one of alarm, supervisory, trouble");
        }

        if (rule.ForSecondsFrom is not (null or HeldOpenSeconds))
        {
            yield return (".forSecondsFrom", $"'{rule.ForSecondsFrom}' is not a device setting; the one there is: {HeldOpenSeconds}");
        }

        if (string.IsNullOrWhiteSpace(rule.Metric))
        {
            yield return (".metric", "is required");
        }

        var comparisons = (rule.Above is null ? 0 : 1) + (rule.Below is null ? 0 : 1) + (rule.EqualTo is null ? 0 : 1);
        if (comparisons != 1)
        {
            yield return ("", "needs exactly one of above, below, equals");
        }

        if (rule.EqualTo is { } equalTo && equalTo.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False))
        {
            yield return (".equals", "must be a number, a string or a boolean");
        }

        if (!Severities.IsValid(rule.Severity))
        {
            yield return (".severity", $"'{rule.Severity}' is not one of critical, major, minor, warning");
        }

        if (rule.ForSeconds < 0)
        {
            yield return (".forSeconds", "must not be negative");
        }

        if (rule.ClearForSeconds < 0)
        {
            yield return (".clearForSeconds", "must not be negative");
        }

        if (rule.Deadband < 0)
        {
            yield return (".deadband", "must not be negative");
        }

        if (!TimeWindow.TryParse(rule.ActiveHours, out _))
        {
            yield return (".activeHours", $"'{rule.ActiveHours}' is not HH:mm-HH:mm");
        }
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
