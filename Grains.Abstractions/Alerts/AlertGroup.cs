namespace SafetyPatrol.Alerts;

/// <summary>
/// Many alerts of one kind from one building in a short time are one thing for an operator (docs/interface.md §9):
/// a broker restarted or a switch failed and dozens of devices went silent together. A group is what the
/// console shows in their place, to open or acknowledge as a whole.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlertGroup(
    [property: Id(0)] string Key,
    [property: Id(1)] string Type,
    [property: Id(2)] string? BuildingId,
    [property: Id(3)] int Count,
    [property: Id(4)] DateTimeOffset Since,
    [property: Id(5)] DateTimeOffset Latest,
    [property: Id(6)] string Severity,
    [property: Id(7)] string? Cause,
    [property: Id(8)] IReadOnlyList<string> AlertIds)
{
    /// <summary>Fewer alerts than this stay single rows.</summary>
    public const int Smallest = 5;

    /// <summary>Alerts raised at most this far apart belong together.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromSeconds(60);

    /// <summary>Devices gone silent together: they lost their way to the system, not each its own fault.</summary>
    public const string CommunicationLoss = "communicationLoss";

    /// <summary>
    /// The groups among these alerts: those the operator sees (not resolved, shelved or suppressed), by type and
    /// building, chained while close in time; devices gone offline together in several buildings make one group
    /// for the whole site (<see cref="BuildingId"/> null).
    /// </summary>
    public static IReadOnlyList<AlertGroup> Of(IEnumerable<Alert> alerts, DateTimeOffset now)
    {
        List<AlertGroup> groups = [];
        var seen = alerts.Where(a => !a.IsResolved && !a.IsQuiet(now)).ToList();

        // Devices silent together in several buildings are one loss of the network or the broker: one group for the site.
        List<Alert> local = [.. seen.Where(a => a.Type != OfflineType)];
        foreach (var run in Runs(seen.Where(a => a.Type == OfflineType)))
        {
            if (run.Count >= Smallest && run.Select(a => a.BuildingId).Distinct().Count() > 1)
            {
                Add(run, buildingId: null);
            }
            else
            {
                local.AddRange(run);
            }
        }

        foreach (var kind in local.GroupBy(a => (a.Type, a.BuildingId)))
        {
            foreach (var run in Runs(kind).Where(r => r.Count >= Smallest))
            {
                Add(run, kind.Key.BuildingId);
            }
        }

        return [.. groups.OrderBy(g => Severities.Rank(g.Severity)).ThenByDescending(g => g.Latest)];

        void Add(List<Alert> run, string? buildingId)
        {
            var first = run[0];
            groups.Add(new AlertGroup(
                $"{first.Type}/{buildingId ?? "site"}/{first.RaisedAt.ToUnixTimeMilliseconds()}",
                first.Type,
                buildingId,
                run.Count,
                first.RaisedAt,
                run[^1].RaisedAt,
                run.MinBy(a => Severities.Rank(a.Severity))!.Severity,
                first.Type == OfflineType ? CommunicationLoss : null,
                [.. run.Select(a => a.Id)]));
        }
    }

    private const string OfflineType = "device.offline";

    /// <summary>Alerts in order of raising, cut wherever more than <see cref="Gap"/> passed between two.</summary>
    private static IEnumerable<List<Alert>> Runs(IEnumerable<Alert> alerts)
    {
        List<Alert> run = [];
        foreach (var alert in alerts.OrderBy(a => a.RaisedAt))
        {
            if (run.Count > 0 && alert.RaisedAt - run[^1].RaisedAt > Gap)
            {
                yield return run;
                run = [];
            }

            run.Add(alert);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
