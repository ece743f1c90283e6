using SafetyPatrol.Grains.Site;
using SafetyPatrol.Paging;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Alerts;

[StatelessWorker]
public sealed class AlertQueryGrain(IAlertStore store, SiteCatalog catalog, [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IAlertQueryGrain
{
    private const int Page = 5_000;

    public Task<IReadOnlyList<Alert>> Query(AlertQuery query) => store.Query(query with { FirstSite = catalog.First.Id });

    public async Task<IReadOnlyList<AlertGroup>> Groups(IReadOnlyList<string>? sites) =>
        AlertGroup.Of(await Query(new AlertQuery("unresolved", Limit: int.MaxValue, Sites: sites)), time.GetUtcNow());

    public async Task<AlarmKpis> Kpis(DateTimeOffset? fromOrDefault, DateTimeOffset? toOrDefault, IReadOnlyList<string>? sites)
    {
        // By default up to and including this moment.
        var to = toOrDefault ?? time.GetUtcNow().AddTicks(1);
        var from = fromOrDefault ?? to - TimeSpan.FromHours(24);
        // Newest first, page by page, until the pages are older than the period; then what is still unresolved, for staleness.
        List<Alert> alerts = [];
        PageCursor? after = null;
        while (true)
        {
            var page = await Query(new AlertQuery("all", Limit: Page, After: after, Sites: sites));
            alerts.AddRange(page.Where(a => a.RaisedAt >= from && a.RaisedAt < to));
            if (page.Count < Page || page[^1].RaisedAt < from)
            {
                break;
            }

            after = PageCursor.Of(page[^1]);
        }

        var stale = (await Query(new AlertQuery("unresolved", Limit: int.MaxValue, Sites: sites))).Where(a => a.RaisedAt < from);
        return AlarmKpis.Compute([.. alerts, .. stale], from, to);
    }
}
