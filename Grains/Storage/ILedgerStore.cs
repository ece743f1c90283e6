using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Storage;

/// <summary>The patrol ledger: every check-in and every round, for the monthly report.</summary>
public interface ILedgerStore
{
    Task SaveCheckIn(CheckIn checkIn);

    Task<IReadOnlyList<CheckIn>> QueryCheckIns(CheckInQuery query);

    /// <summary>Inserts or replaces the round.</summary>
    Task SaveRound(Round round);

    Task<IReadOnlyList<Round>> QueryRounds(RoundQuery query);
}
