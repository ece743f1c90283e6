using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// The district overview and monthly compliance across sites (see <see cref="IDistrictGrain"/>): open alerts from the
/// alert log in one query, overdue inspections from the patrol board, compliance from each site's
/// <see cref="IComplianceGrain"/>.
/// </summary>
[StatelessWorker]
public sealed class DistrictGrain(SiteCatalog catalog, IAlertStore alerts) : Grain, IDistrictGrain
{
    public async Task<IReadOnlyList<SiteOverview>> Overview(IReadOnlyList<string>? sites)
    {
        var chosen = Chosen(sites);
        var open = (await alerts.Query(new AlertQuery("unresolved", Limit: int.MaxValue, Sites: sites, FirstSite: catalog.First.Id)))
            .ToLookup(a => a.SiteId ?? catalog.SiteOf(a.DeviceId, a.CheckpointId, a.RoomId, a.BuildingId, a.RouteId));
        var overdue = (await GrainFactory.GetGrain<IPatrolBoardGrain>(0).GetOverdue()).ToLookup(c => catalog.SiteOf(c.Id));
        var rows = await Task.WhenAll(chosen.Select(async site =>
        {
            var recent = await GrainFactory.GetGrain<IComplianceGrain>(site.Id).Recent();
            var mine = open[site.Id].ToList();
            return new SiteOverview(site.Id, site.Name, Severities.Worst(mine.Select(a => a.Severity)), mine.Count, overdue[site.Id].Count(), recent.Last7Days, recent.Last30Days);
        }));

        // Worst first: the most severe open alarm, then the most overdue inspections and open alarms, then the least compliant.
        return [.. rows
            .OrderBy(r => r.WorstSeverity is null ? int.MaxValue : Severities.Rank(r.WorstSeverity))
            .ThenByDescending(r => r.OverdueInspections)
            .ThenByDescending(r => r.OpenAlerts)
            .ThenBy(r => r.Last7Days.Rate ?? 1)
            .ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<SiteCompliance>> Monthly(int year, int month, IReadOnlyList<string>? sites)
    {
        var first = new DateOnly(year, month, 1);
        var checkpoints = catalog.Checkpoints.Values.CountBy(c => c.Site.Id).ToDictionary(StringComparer.Ordinal);
        return await Task.WhenAll(Chosen(sites).Select(async site => new SiteCompliance(
            site.Id,
            site.Name,
            first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            checkpoints.GetValueOrDefault(site.Id),
            await GrainFactory.GetGrain<IComplianceGrain>(site.Id).Between(first, first.AddMonths(1)))));
    }

    private IEnumerable<SiteEntry> Chosen(IReadOnlyList<string>? sites) =>
        sites is null ? catalog.Sites.Values : sites.Select(id => catalog.Sites.GetValueOrDefault(id)).OfType<SiteEntry>();
}
