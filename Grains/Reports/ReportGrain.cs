using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Patrols;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;
using SafetyPatrol.Reports;
using SafetyPatrol.Tickets;
using SafetyPatrol.Visitors;

namespace SafetyPatrol.Grains.Reports;

/// <summary>Builds reports from the ledger, the alert log, the tickets and the visitor log; nothing is kept for them.</summary>
[StatelessWorker]
public sealed class ReportGrain(
    SiteCatalog catalog,
    ILedgerStore ledger,
    IAlertStore alerts,
    ITicketStore tickets,
    IVisitorStore visitors,
    [FromKeyedServices(AppClock.Key)] TimeProvider time) : Grain, IReportGrain
{
    private const int All = 1_000_000;
    private static readonly TimeSpan DefaultShift = TimeSpan.FromHours(12);

    public Task<Report?> Daily(DateOnly date, string? siteId) => Build("daily", date.ToString("yyyy-MM-dd"), date, date.AddDays(1), siteId);

    public Task<Report?> Monthly(int year, int month, string? siteId)
    {
        var first = new DateOnly(year, month, 1);
        return Build("monthly", first.ToString("yyyy-MM"), first, first.AddMonths(1), siteId);
    }

    public async Task<Handover?> Handover(DateTimeOffset? fromOrDefault, string? siteId)
    {
        if (catalog.Site(siteId) is not { } site)
        {
            return null;
        }

        // Up to and including this moment (the log keeps milliseconds).
        var now = time.GetUtcNow().AddMilliseconds(1);
        var from = fromOrDefault ?? now - DefaultShift;
        var (mine, first) = Of(site);
        var open = await alerts.Query(new AlertQuery("unresolved", Limit: All, Sites: mine, FirstSite: first));
        var overdue = (await GrainFactory.GetGrain<IPatrolBoardGrain>(0).GetOverdue()).Where(c => catalog.SiteOf(c.Id) == site.Id).ToList();
        var unfinished = await tickets.QueryTickets(new TicketQuery("unfinished", Limit: All) { Sites = mine, FirstSite = first });
        var checkIns = await ledger.QueryCheckIns(new CheckInQuery(null, null, from, now, All) { Sites = mine, FirstSite = first });
        var raised = await alerts.Query(new AlertQuery("all", Limit: All, RaisedFrom: from, RaisedBefore: now, Sites: mine, FirstSite: first));
        var rounds = await ledger.QueryRounds(new RoundQuery(null, from, now, All) { Sites = mine, FirstSite = first });
        var onSite = await visitors.QueryVisitors(new VisitorQuery(OnSite: true, Limit: All) { Sites = mine, FirstSite = first });
        var arrived = await visitors.QueryVisitors(new VisitorQuery(From: from, To: now, Limit: All) { Sites = mine, FirstSite = first });
        return new Handover(from, now, open, overdue, unfinished, Count(raised), checkIns.Count, Findings(checkIns), Summary(rounds), onSite, arrived.Count);
    }

    private async Task<Report?> Build(string kind, string period, DateOnly first, DateOnly end, string? siteId)
    {
        if (catalog.Site(siteId) is not { } site)
        {
            return null;
        }

        var from = site.StartOf(first);
        var to = site.StartOf(end);
        var (mine, firstSite) = Of(site);
        var checkIns = await ledger.QueryCheckIns(new CheckInQuery(null, null, from, to, All) { Sites = mine, FirstSite = firstSite });
        var raised = await alerts.Query(new AlertQuery("all", Limit: All, RaisedFrom: from, RaisedBefore: to, Sites: mine, FirstSite: firstSite));
        var rounds = await ledger.QueryRounds(new RoundQuery(null, from, to, All) { Sites = mine, FirstSite = firstSite });
        var opened = await tickets.QueryTickets(new TicketQuery(Limit: All, To: to) { Sites = mine, FirstSite = firstSite });
        var visitLog = await visitors.QueryVisitors(new VisitorQuery(From: from, To: to, Limit: All) { Sites = mine, FirstSite = firstSite });

        var byCheckpoint = checkIns.ToLookup(c => c.CheckpointId);
        var missed = raised.Where(a => a.Type == CheckpointGrain.OverdueType && a.CheckpointId is not null).ToLookup(a => a.CheckpointId!);
        List<InspectionLine> inspections = [];
        foreach (var entry in catalog.Checkpoints.Values.Where(c => c.Site == site))
        {
            var visits = byCheckpoint[entry.Checkpoint.Id].ToList();
            var last = visits.MaxBy(v => v.At);
            inspections.Add(new InspectionLine(entry.Checkpoint.Id, entry.Checkpoint.Name, entry.Building.Name, entry.Room.Name, visits.Count,
                missed[entry.Checkpoint.Id].Count(), visits.Sum(v => v.Findings.Count(f => !f.Ok)), last?.At, last?.Officer));
        }

        // Tickets opened in the period, and those opened before it that were still being worked in it.
        var relevant = opened.Where(t => t.CreatedAt >= from || t.SignedOffAt is null || t.SignedOffAt >= from).OrderBy(t => t.CreatedAt).ToList();
        var ticketSummary = new TicketSummary(
            relevant.Count(t => t.CreatedAt >= from),
            relevant.Count(t => t.DoneAt >= from && t.DoneAt < to),
            relevant.Count(t => t.SignedOffAt >= from && t.SignedOffAt < to),
            relevant.Count(t => t.SignedOffAt is null || t.SignedOffAt >= to),
            relevant.Count(t => t.History.Any(h => h.Action == "overdue" && h.At >= from && h.At < to)),
            relevant);
        var byClass = raised.GroupBy(a => a.Class).Select(g => new ClassCount(g.Key, g.Count())).OrderBy(c => c.Class, StringComparer.Ordinal).ToList();
        return new Report(kind, period, site.Name, site.Definition.TimeZone, from, to, inspections, Findings(checkIns), Count(raised), Summary(rounds), ticketSummary,
            byClass, [.. visitLog.OrderBy(v => v.ArrivedAt)]);
    }

    /// <summary>
    /// What a store query of <paramref name="site"/>'s log asks: its rows, kept by the site each was of when written
    /// (docs/interface.md §13), and those written before there were several if it is the first site.
    /// </summary>
    private (IReadOnlyList<string> Sites, string FirstSite) Of(SiteEntry site) => ([site.Id], catalog.First.Id);

    private List<FindingLine> Findings(IEnumerable<CheckIn> checkIns) =>
        [.. checkIns.OrderBy(c => c.At).SelectMany(c => c.Findings.Where(f => !f.Ok || f.Value is not null).Select(f =>
            new FindingLine(c.At, c.CheckpointId, catalog.Checkpoints.GetValueOrDefault(c.CheckpointId)?.Checkpoint.Name ?? c.CheckpointId, f.Item, f.Note, c.Officer, f.Value, f.PhotoId)))];

    private static List<AlertCount> Count(IEnumerable<Alert> raised) =>
        [.. raised.GroupBy(a => (a.Type, a.Severity, a.Class)).Select(g => new AlertCount(g.Key.Type, g.Key.Severity, g.Count(), g.Key.Class))
            .OrderBy(c => Severities.Rank(c.Severity)).ThenByDescending(c => c.Count).ThenBy(c => c.Type, StringComparer.Ordinal)];

    private static RoundSummary Summary(IReadOnlyList<Round> rounds) => new(rounds.Count,
        rounds.Count(r => r.Status == Round.Completed), rounds.Count(r => r.Status == Round.Missed), rounds.Count(r => r.Status == Round.Open));
}
