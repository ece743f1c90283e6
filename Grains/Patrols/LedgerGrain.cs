using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

[StatelessWorker]
public sealed class LedgerGrain(ILedgerStore ledger) : Grain, ILedgerGrain
{
    public Task<IReadOnlyList<CheckIn>> CheckIns(CheckInQuery query) => ledger.QueryCheckIns(query);

    public Task<IReadOnlyList<Round>> Rounds(RoundQuery query) => ledger.QueryRounds(query);
}
