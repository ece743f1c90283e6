using SafetyPatrol.Devices;

namespace SafetyPatrol.Patrols;

/// <summary>A checkpoint: due times, overdue inspections and their escalation, check-ins and findings.</summary>
public interface ICheckpointGrain : IDeadlineTarget, IGrainWithStringKey
{
    Task<CheckInResult> CheckIn(CheckInRequest request);

    Task<CheckpointStatus?> GetStatus();

    /// <summary>What an officer needs to check in: names and the checklist.</summary>
    Task<CheckpointInfo?> GetInfo();

    /// <summary>Activates the checkpoint so its due time is watched from start-up.</summary>
    Task Start();

    /// <summary>The site changed this grain's part: it starts afresh on the new site (or stops, if it is gone).</summary>
    Task Reload();
}

/// <summary>A route: starts rounds on its schedule, tracks them and raises a patrol alert for a missed one.</summary>
public interface IRouteGrain : IDeadlineTarget, IGrainWithStringKey
{
    Task Visited(string checkpointId, string officer, DateTimeOffset at);

    Task<Round?> GetCurrentRound();

    Task Start();

    /// <summary>The site changed this grain's part: it starts afresh on the new site (or stops, if it is gone).</summary>
    Task Reload();
}

/// <summary>An officer on patrol: watched for silence while a round they started is incomplete.</summary>
public interface IOfficerGrain : IDeadlineTarget, IGrainWithStringKey
{
    Task CheckedIn(DateTimeOffset at);

    Task RoundStarted(string roundId, string routeId);

    Task RoundEnded(string roundId);
}

/// <summary>Live patrol state for the console's board and the overdue list; fed by checkpoints and routes.</summary>
public interface IPatrolBoardGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task CheckpointChanged(CheckpointStatus status);

    [OneWay]
    Task RoundChanged(Round round);

    /// <summary>
    /// A read; it runs between queued updates rather than after them (every method of the board is one synchronous
    /// step), so a console or the district overview is not kept waiting while 50,000 checkpoints report after a start.
    /// </summary>
    [AlwaysInterleave]
    Task<PatrolBoard> GetBoard(string? buildingId);

    /// <inheritdoc cref="GetBoard"/>
    [AlwaysInterleave]
    Task<IReadOnlyList<CheckpointStatus>> GetOverdue();

    /// <summary>Drops checkpoints and routes the site no longer has.</summary>
    Task Forget(IReadOnlyList<string> checkpointIds, IReadOnlyList<string> routeIds);
}

/// <summary>Reads the patrol ledger: check-ins and rounds.</summary>
public interface ILedgerGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<CheckIn>> CheckIns(CheckInQuery query);

    Task<IReadOnlyList<Round>> Rounds(RoundQuery query);
}
