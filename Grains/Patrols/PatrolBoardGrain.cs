using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// The live patrol picture, fed on change by every checkpoint and route (all active from start-up),
/// so the board and the overdue list cost one call instead of one per checkpoint.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class PatrolBoardGrain : Grain, IPatrolBoardGrain
{
    private readonly Dictionary<string, CheckpointStatus> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Round> _rounds = new(StringComparer.Ordinal);

    public Task CheckpointChanged(CheckpointStatus status)
    {
        _checkpoints[status.Id] = status;
        return Task.CompletedTask;
    }

    public Task RoundChanged(Round round)
    {
        if (!_rounds.TryGetValue(round.RouteId, out var known) || known.StartsAt <= round.StartsAt)
        {
            _rounds[round.RouteId] = round;
        }

        return Task.CompletedTask;
    }

    public Task<PatrolBoard> GetBoard(string? buildingId) => Task.FromResult(new PatrolBoard(
        [.. _rounds.Values.OrderBy(r => r.RouteId, StringComparer.Ordinal)],
        [.. _checkpoints.Values.Where(c => buildingId is null || c.BuildingId == buildingId).OrderBy(c => c.OverdueAt ?? DateTimeOffset.MaxValue)]));

    public Task Forget(IReadOnlyList<string> checkpointIds, IReadOnlyList<string> routeIds)
    {
        foreach (var id in checkpointIds)
        {
            _checkpoints.Remove(id);
        }

        foreach (var id in routeIds)
        {
            _rounds.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckpointStatus>> GetOverdue() =>
        Task.FromResult<IReadOnlyList<CheckpointStatus>>([.. _checkpoints.Values.Where(c => c.Overdue).OrderBy(c => c.OverdueAt)]);
}
