namespace SafetyPatrol.Alerts;

/// <summary>
/// Many alerts of one kind from one building in a short time are one thing for an operator (CONTRACT §9):
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

    /// <summary>The groups among these alerts: those the operator sees (not resolved, shelved or suppressed), by type and building, chained while close in time.</summary>
    public static IReadOnlyList<AlertGroup> Of(IEnumerable<Alert> alerts, DateTimeOffset now)
    {
        List<AlertGroup> groups = [];
        var seen = alerts.Where(a => !a.IsResolved && !a.IsQuiet(now));
        foreach (var kind in seen.GroupBy(a => (a.Type, a.BuildingId)))
        {
            List<Alert> run = [];
            foreach (var alert in kind.OrderBy(a => a.RaisedAt))
            {
                if (run.Count > 0 && alert.RaisedAt - run[^1].RaisedAt > Gap)
                {
                    Close(run);
                    run = [];
                }

                run.Add(alert);
            }

            Close(run);
        }

        return [.. groups.OrderBy(g => Severities.Rank(g.Severity)).ThenByDescending(g => g.Latest)];

        void Close(List<Alert> run)
        {
            if (run.Count < Smallest)
            {
                return;
            }

            var first = run[0];
            groups.Add(new AlertGroup(
                $"{first.Type}/{first.BuildingId}/{first.RaisedAt.ToUnixTimeMilliseconds()}",
                first.Type,
                first.BuildingId,
                run.Count,
                first.RaisedAt,
                run[^1].RaisedAt,
                run.MinBy(a => Severities.Rank(a.Severity))!.Severity,
                first.Type == "device.offline" ? CommunicationLoss : null,
                [.. run.Select(a => a.Id)]));
        }
    }
}
