using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// The district overview and monthly compliance across sites (see <see cref="IDistrictGrain"/>): open alerts from the
/// alert log in one query, overdue inspections from the patrol board, compliance from the store's days (counted by
/// each site's <see cref="IComplianceGrain"/>) in one query, whatever the number of sites.
/// </summary>
[StatelessWorker]
public sealed class DistrictGrain(SiteCatalog catalog, IAlertStore alerts, IComplianceStore compliance, [FromKeyedServices(AppClock.Key)] TimeProvider time)
    : Grain, IDistrictGrain
{
    public async Task<IReadOnlyList<SiteOverview>> Overview(IReadOnlyList<string>? sites)
    {
        var chosen = Chosen(sites);
        var open = (await alerts.OpenBySite(sites, catalog.First.Id)).ToLookup(a => a.SiteId);
        var overdue = (await GrainFactory.GetGrain<IPatrolBoardGrain>(0).GetOverdue()).ToLookup(c => catalog.SiteOf(c.Id));

        // Each site's last 7 and 30 days end today on its own calendar: the days read span every zone's today.
        var now = time.GetUtcNow();
        var utcToday = SiteDays.Of(null, now);
        var days = (await compliance.ComplianceDays(utcToday.AddDays(-31), utcToday.AddDays(2), sites)).ToLookup(d => d.SiteId);
        var rows = chosen.Select(site =>
        {
            var today = SiteDays.Of(site.TimeZone, now);
            var mine = open[site.Id].ToList();
            return new SiteOverview(site.Id, site.Name, Severities.Worst(mine.Select(a => a.Severity)), mine.Sum(a => a.Count), overdue[site.Id].Count(),
                Sum(days[site.Id], today.AddDays(-6), today.AddDays(1)), Sum(days[site.Id], today.AddDays(-29), today.AddDays(1)));
        });

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
        var end = first.AddMonths(1);
        var checkpoints = catalog.Checkpoints.Values.CountBy(c => c.Site.Id).ToDictionary(StringComparer.Ordinal);
        var days = (await compliance.ComplianceDays(first, end, sites)).ToLookup(d => d.SiteId);
        return [.. Chosen(sites).Select(site => new SiteCompliance(
            site.Id,
            site.Name,
            first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            checkpoints.GetValueOrDefault(site.Id),
            Sum(days[site.Id], first, end)))];
    }

    private static ComplianceCounts Sum(IEnumerable<ComplianceDay> days, DateOnly first, DateOnly end)
    {
        int onTime = 0, missed = 0;
        foreach (var day in days.Where(d => d.Day >= first && d.Day < end))
        {
            onTime += day.Counts.OnTime;
            missed += day.Counts.Missed;
        }

        return new ComplianceCounts(onTime, missed);
    }

    private IEnumerable<SiteEntry> Chosen(IReadOnlyList<string>? sites) =>
        sites is null ? catalog.Sites.Values : sites.Select(id => catalog.Sites.GetValueOrDefault(id)).OfType<SiteEntry>();
}
