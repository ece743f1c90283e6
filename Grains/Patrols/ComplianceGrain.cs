using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// Counts a site's inspections on time and missed per day of its calendar (see <see cref="IComplianceGrain"/>) into the
/// store, each count written before the call returns, so that the district overview reads every site in one query
/// instead of asking a grain per site. Counts an earlier version kept in this grain's own state are moved to the store
/// when it first wakes.
/// </summary>
public sealed class ComplianceGrain(
    [PersistentState("compliance")] IPersistentState<ComplianceState> state,
    IComplianceStore store,
    SiteCatalog catalog) : Grain, IComplianceGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Days.Count > 0)
        {
            // Set, not added: a move cut short and done again counts each day once.
            foreach (var (day, counts) in state.State.Days)
            {
                await store.SetCompliance(this.GetPrimaryKeyString(), day, counts);
            }

            await state.ClearStateAsync();
        }
    }

    public Task OnTime(DateTimeOffset at) => store.AddCompliance(this.GetPrimaryKeyString(), Day(at), 1, 0);

    public Task Missed(DateTimeOffset at) => store.AddCompliance(this.GetPrimaryKeyString(), Day(at), 0, 1);

    /// <summary>The day of the site's calendar; a site since removed counts on UTC days.</summary>
    private DateOnly Day(DateTimeOffset at) => SiteDays.Of(catalog.Sites.GetValueOrDefault(this.GetPrimaryKeyString())?.TimeZone, at);
}

/// <summary>What an earlier version kept in the grain: moved to the store at activation.</summary>
[GenerateSerializer]
public sealed class ComplianceState
{
    [Id(0)] public Dictionary<DateOnly, ComplianceCounts> Days { get; set; } = [];
}

/// <summary>Days of a site's calendar.</summary>
public static class SiteDays
{
    /// <summary>The day <paramref name="at"/> falls on in <paramref name="zone"/> (UTC when none).</summary>
    public static DateOnly Of(TimeZoneInfo? zone, DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone ?? TimeZoneInfo.Utc).DateTime);
}
