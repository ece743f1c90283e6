using SafetyPatrol.Grains.Site;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// Counts a site's inspections on time and missed per day of its calendar (see <see cref="IComplianceGrain"/>), so
/// the district overview asks one grain per site instead of reading a month of the ledger. Days older than
/// <see cref="DaysKept"/> are let go; each count is saved before the call returns.
/// </summary>
public sealed class ComplianceGrain(
    [PersistentState("compliance")] IPersistentState<ComplianceState> state,
    SiteCatalog catalog,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IComplianceGrain
{
    /// <summary>A little over a year: last year's monthly report of the same month still has its days.</summary>
    public const int DaysKept = 400;

    public Task OnTime(DateTimeOffset at) => Count(at, onTime: true);

    public Task Missed(DateTimeOffset at) => Count(at, onTime: false);

    public Task<ComplianceCounts> Last(int days)
    {
        var today = Today(time.GetUtcNow());
        return Between(today.AddDays(1 - days), today.AddDays(1));
    }

    public async Task<RecentCompliance> Recent() => new(await Last(7), await Last(30));

    public Task<ComplianceCounts> Between(DateOnly first, DateOnly end)
    {
        int onTime = 0, missed = 0;
        foreach (var (day, counts) in state.State.Days)
        {
            if (day >= first && day < end)
            {
                onTime += counts.OnTime;
                missed += counts.Missed;
            }
        }

        return Task.FromResult(new ComplianceCounts(onTime, missed));
    }

    private async Task Count(DateTimeOffset at, bool onTime)
    {
        var day = Today(at);
        var counts = state.State.Days.GetValueOrDefault(day) ?? new ComplianceCounts(0, 0);
        state.State.Days[day] = onTime ? counts with { OnTime = counts.OnTime + 1 } : counts with { Missed = counts.Missed + 1 };
        var oldest = day.AddDays(-DaysKept);
        foreach (var old in state.State.Days.Keys.Where(d => d < oldest).ToList())
        {
            state.State.Days.Remove(old);
        }

        await state.WriteStateAsync();
    }

    /// <summary>The day of the site's calendar; a site since removed counts on UTC days.</summary>
    private DateOnly Today(DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, catalog.Sites.GetValueOrDefault(this.GetPrimaryKeyString())?.TimeZone ?? TimeZoneInfo.Utc).DateTime);
}

[GenerateSerializer]
public sealed class ComplianceState
{
    [Id(0)] public Dictionary<DateOnly, ComplianceCounts> Days { get; set; } = [];
}
