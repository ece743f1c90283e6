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

    public Task<Report> Daily(DateOnly date) => Build("daily", date.ToString("yyyy-MM-dd"), date, date.AddDays(1));

    public Task<Report> Monthly(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return Build("monthly", first.ToString("yyyy-MM"), first, first.AddMonths(1));
    }

    public async Task<Handover> Handover(DateTimeOffset? fromOrDefault)
    {
        // Up to and including this moment (the log keeps milliseconds).
        var now = time.GetUtcNow().AddMilliseconds(1);
        var from = fromOrDefault ?? now - DefaultShift;
        var open = await alerts.Query(new AlertQuery("unresolved", Limit: All));
        var overdue = await GrainFactory.GetGrain<IPatrolBoardGrain>(0).GetOverdue();
        var unfinished = await tickets.QueryTickets(new TicketQuery("unfinished", Limit: All));
        var checkIns = await ledger.QueryCheckIns(new CheckInQuery(null, null, from, now, All));
        var raised = await alerts.Query(new AlertQuery("all", Limit: All, RaisedFrom: from, RaisedBefore: now));
        var rounds = await ledger.QueryRounds(new RoundQuery(null, from, now, All));
        var onSite = await visitors.QueryVisitors(new VisitorQuery(OnSite: true, Limit: All));
        var arrived = await visitors.QueryVisitors(new VisitorQuery(From: from, To: now, Limit: All));
        return new Handover(from, now, open, overdue, unfinished, Count(raised), checkIns.Count, Findings(checkIns), Summary(rounds), onSite, arrived.Count);
    }

    private async Task<Report> Build(string kind, string period, DateOnly first, DateOnly end)
    {
        var from = catalog.StartOf(first);
        var to = catalog.StartOf(end);
        var checkIns = await ledger.QueryCheckIns(new CheckInQuery(null, null, from, to, All));
        var raised = await alerts.Query(new AlertQuery("all", Limit: All, RaisedFrom: from, RaisedBefore: to));
        var rounds = await ledger.QueryRounds(new RoundQuery(null, from, to, All));
        var opened = await tickets.QueryTickets(new TicketQuery(Limit: All, To: to));
        var visitLog = await visitors.QueryVisitors(new VisitorQuery(From: from, To: to, Limit: All));

        var byCheckpoint = checkIns.ToLookup(c => c.CheckpointId);
        var missed = raised.Where(a => a.Type == CheckpointGrain.OverdueType && a.CheckpointId is not null).ToLookup(a => a.CheckpointId!);
        List<InspectionLine> inspections = [];
        foreach (var entry in catalog.Checkpoints.Values)
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
        return new Report(kind, period, catalog.Site.Name, catalog.Site.TimeZone, from, to, inspections, Findings(checkIns), Count(raised), Summary(rounds), ticketSummary,
            byClass, [.. visitLog.OrderBy(v => v.ArrivedAt)]);
    }

    private List<FindingLine> Findings(IEnumerable<CheckIn> checkIns) =>
        [.. checkIns.OrderBy(c => c.At).SelectMany(c => c.Findings.Where(f => !f.Ok || f.Value is not null).Select(f =>
            new FindingLine(c.At, c.CheckpointId, catalog.Checkpoints.GetValueOrDefault(c.CheckpointId)?.Checkpoint.Name ?? c.CheckpointId, f.Item, f.Note, c.Officer, f.Value, f.PhotoId)))];

    private static List<AlertCount> Count(IEnumerable<Alert> raised) =>
        [.. raised.GroupBy(a => (a.Type, a.Severity, a.Class)).Select(g => new AlertCount(g.Key.Type, g.Key.Severity, g.Count(), g.Key.Class))
            .OrderBy(c => Severities.Rank(c.Severity)).ThenByDescending(c => c.Count).ThenBy(c => c.Type, StringComparer.Ordinal)];

    private static RoundSummary Summary(IReadOnlyList<Round> rounds) => new(rounds.Count,
        rounds.Count(r => r.Status == Round.Completed), rounds.Count(r => r.Status == Round.Missed), rounds.Count(r => r.Status == Round.Open));
}
