using SafetyPatrol.Devices;
using SafetyPatrol.Tickets;
using SafetyPatrol.Audit;
using SafetyPatrol.Paging;
using Npgsql;
using Orleans.Storage;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Notifications;
using SafetyPatrol.Patrols;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Silo.Tests.Infrastructure;
using SafetyPatrol.Sites;
using SafetyPatrol.Visitors;

namespace SafetyPatrol.Silo.Tests;

/// <summary>What every store must do, run against the embedded SQLite store and against PostgreSQL alike.</summary>
public abstract class StoreContractTests
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    protected abstract Task<RelationalStore> NewStore();

    [Fact]
    public async Task GrainStateIsWrittenReadAndGuardedByItsEtag()
    {
        var store = await NewStore();
        Assert.Null(await store.Read("device", "d1"));

        var first = await store.Write("device", "d1", new byte[] { 1, 2, 3 }, null);
        var second = await store.Write("device", "d1", new byte[] { 4, 5 }, first);
        var stored = (await store.Read("device", "d1"))!;

        Assert.Equal([4, 5], stored.Data);
        Assert.Equal(second, stored.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Write("device", "d1", new byte[] { 9 }, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Write("device", "d1", new byte[] { 9 }, null));
        await store.Clear("device", "d1", second);
        Assert.Null(await store.Read("device", "d1"));
    }

    [Fact]
    public async Task WritesAtTheSameTimeAreAllKeptAndOneThatFailsFailsAlone()
    {
        var store = await NewStore();
        await store.SaveCheckIn(new CheckIn("taken", "cp-1", "r-1", "b-1", "wang.fang", T0, []));

        // Many at once (the embedded store commits what queues together): the one whose id is taken fails, the rest stand.
        var writes = Enumerable.Range(0, 200).Select(i => store.SaveCheckIn(new CheckIn(i == 100 ? "taken" : $"c{i}", "cp-1", "r-1", "b-1", "li.wei", T0.AddSeconds(i), []))).ToList();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => writes[100]);
        await Task.WhenAll(writes.Where((_, i) => i != 100));

        var kept = await store.QueryCheckIns(new CheckInQuery(null, null, null, null, Limit: 1000));
        Assert.Equal(200, kept.Count);
        Assert.Equal("wang.fang", kept.Single(c => c.Id == "taken").Officer);
    }

    [Fact]
    public async Task AlertsAreKeptWithTheirHistoryAndQueriedNewestFirstByStatusBuildingAndPage()
    {
        var store = await NewStore();
        for (var i = 0; i < 5; i++)
        {
            await store.Save(Alert($"a{i}", i % 2 == 0 ? "teach-1" : "plant", i == 4 ? AlertStatus.Resolved : AlertStatus.Open, T0.AddMinutes(i)));
        }

        var open = await store.Query(new AlertQuery("open"));
        Assert.Equal(["a3", "a2", "a1", "a0"], open.Select(a => a.Id));
        Assert.All(open, a => Assert.Null(a.History));
        Assert.Equal(["a2", "a0"], (await store.Query(new AlertQuery("unresolved", BuildingId: "teach-1"))).Select(a => a.Id));
        Assert.Equal(["a4"], (await store.Query(new AlertQuery("resolved"))).Select(a => a.Id));

        var firstPage = await store.Query(new AlertQuery("all", Limit: 2));
        var secondPage = await store.Query(new AlertQuery("all", Limit: 2, After: PageCursor.Of(firstPage[^1])));
        Assert.Equal(["a4", "a3", "a2", "a1"], firstPage.Concat(secondPage).Select(a => a.Id));

        await store.Save(Alert("a0", "teach-1", AlertStatus.Acknowledged, T0) with { History = [new AlertHistoryEntry(T0, "acknowledged", "op", "on my way")] });
        var got = (await store.Get("a0"))!;
        Assert.Equal((AlertStatus.Acknowledged, "on my way"), (got.Status, got.History!.Single().Note));
        Assert.Null(await store.Get("nope"));
    }

    [Fact]
    public async Task TheLedgerKeepsCheckInsAndRoundsByTime()
    {
        var store = await NewStore();
        await store.SaveCheckIn(new CheckIn("c1", "cp-1", "r1", "b1", "li.wei", T0, []));
        await store.SaveCheckIn(new CheckIn("c2", "cp-2", "r1", "b1", "wang.fang", T0.AddMinutes(5), [new Finding("Door locked", false, "broken lock")]));
        var round = new Round("rt@1", "rt", "Night", T0, T0.AddMinutes(40), Round.Open, null, null, [], ["cp-1"]);
        await store.SaveRound(round);
        await store.SaveRound(round with { Status = Round.Missed });

        Assert.Equal(["c2", "c1"], (await store.QueryCheckIns(new CheckInQuery(null, null, null, null))).Select(c => c.Id));
        Assert.Equal("broken lock", (await store.QueryCheckIns(new CheckInQuery(null, "wang.fang", null, null))).Single().Findings.Single().Note);
        Assert.Equal(["c1"], (await store.QueryCheckIns(new CheckInQuery(null, null, null, T0.AddMinutes(1)))).Select(c => c.Id));
        Assert.Equal(Round.Missed, (await store.QueryRounds(new RoundQuery("rt", null, null))).Single().Status);
    }

    [Fact]
    public async Task ASecretIsSetByTheFirstOfManyOffersAndKeptAfterwards()
    {
        var store = await NewStore();
        var offers = Enumerable.Range(1, 8).Select(i => $"offer-{i}-of-at-least-thirty-two-characters").ToList();

        var answers = await Task.WhenAll(offers.Select(o => store.GetOrAdd("token-key", o)));

        Assert.Single(answers.Distinct());
        Assert.Contains(answers[0], offers);
        Assert.Equal(answers[0], await store.GetOrAdd("token-key", "a later offer that must not replace it"));
        Assert.Equal("other", await store.GetOrAdd("another-secret", "other"));
    }

    [Fact]
    public async Task VisitsAreFoundByDayPassTextAndIdHashAndThoseThatEndedLongAgoAreDeletedWithTheirPhotos()
    {
        var store = await NewStore();
        await store.SavePhoto(new Photo("p-old", "image/png", "guard", T0, [1, 2, 3]));
        await store.SavePhoto(new Photo("p-new", "image/png", "guard", T0, [4, 5]));
        await store.SaveVisitor(Visit("v-old", "PASS0001", "Wang Fang", "H1", T0, departed: T0.AddHours(1), photo: "p-old"));
        await store.SaveVisitor(Visit("v-day", "PASS0002", "Li Si", "H1", T0.AddDays(1), departed: null, photo: "p-new"));
        await store.SaveVisitor(Visit("v-new", "PASS0003", "Zhao Liu", "H2", T0.AddDays(2), departed: T0.AddDays(2).AddHours(1), photo: null));

        Assert.Equal(["v-new", "v-day", "v-old"], (await store.QueryVisitors(new VisitorQuery())).Select(v => v.Id));
        Assert.Equal(["v-day"], (await store.QueryVisitors(new VisitorQuery(OnSite: true))).Select(v => v.Id));
        Assert.Equal(["v-day"], (await store.QueryVisitors(new VisitorQuery(From: T0.AddDays(1), To: T0.AddDays(2)))).Select(v => v.Id));
        Assert.Equal(["v-new"], (await store.QueryVisitors(new VisitorQuery(Pass: "PASS0003"))).Select(v => v.Id));
        Assert.Equal(["v-old"], (await store.QueryVisitors(new VisitorQuery(Text: "wang"))).Select(v => v.Id));
        Assert.Equal(["v-day", "v-old"], (await store.QueryVisitors(new VisitorQuery(IdHash: "H1"))).Select(v => v.Id));
        Assert.Equal(2, await store.CountVisits("H1"));

        Assert.Equal(1, await store.PruneVisitors(T0.AddDays(1)));
        Assert.Null(await store.GetVisitor("v-old"));
        Assert.Null(await store.GetPhoto("p-old"));
        Assert.NotNull(await store.GetPhoto("p-new"));
        Assert.Equal("p-new", (await store.GetVisitor("v-day"))!.Visitor.PhotoId);
    }

    private static VisitorRecord Visit(string id, string pass, string name, string hash, DateTimeOffset arrived, DateTimeOffset? departed, string? photo) => new()
    {
        Visitor = new Visitor(id, pass, name, "13800138000", "110***********002X", "Ms Wang", "office-201", "Office 201", "office", "meeting",
            arrived, arrived.AddHours(2), "guard", 0, photo, departed, departed is null ? null : "guard"),
        IdHash = hash,
    };

    [Fact]
    public async Task DeliveriesAreKeptWithTheirAlertAndWhatADeadSiloLeftPendingIsTakenOverOnceOldestFirst()
    {
        var store = await NewStore();
        var alert = Alert("a1", "b1", AlertStatus.Open, T0);
        await store.SaveDelivery(new Delivery("d3", "a1", "duty", NotifyEvent.Raised, 0, Delivery.Pending, 0, null, T0.AddSeconds(3), null, alert), "silo-b");
        await store.SaveDelivery(new Delivery("d2", "a1", "duty", NotifyEvent.Raised, 0, Delivery.Pending, 0, null, T0.AddSeconds(2), null, alert), "silo-a");
        await store.SaveDelivery(new Delivery("d1", "a1", "wecom", NotifyEvent.Raised, 0, Delivery.Pending, 0, null, T0, null, alert), "silo-a");
        await store.SaveDelivery(new Delivery("d0", "a1", "wecom", NotifyEvent.Raised, 0, Delivery.Pending, 0, null, T0, null, alert), "silo-a");
        await store.SaveDelivery(new Delivery("d0", "a1", "wecom", NotifyEvent.Raised, 0, Delivery.Sent, 1, null, T0, T0.AddSeconds(1)), "silo-a");

        // silo-a died; silo-b and silo-c both take over at once: each pending delivery of silo-a goes to one of them.
        var taken = await Task.WhenAll(store.TakePendingDeliveries("silo-b", ["silo-b", "silo-c"]), store.TakePendingDeliveries("silo-c", ["silo-b", "silo-c"]));
        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(["d1", "d2"], all.Select(d => d.DeliveryId).Order());
        Assert.Equal(["d1", "d2"], taken.Single(t => t.Count > 0).Select(d => d.DeliveryId));
        Assert.Equal("a1", all[0].Alert!.Id);
        Assert.Empty(await store.TakePendingDeliveries("silo-c", ["silo-b", "silo-c"]));

        Assert.Equal(["d3", "d2", "d1", "d0"], (await store.QueryDeliveries(new DeliveryQuery("a1", null))).Select(d => d.DeliveryId));
        Assert.Equal((1, Delivery.Sent), (await store.QueryDeliveries(new DeliveryQuery(null, Delivery.Sent))).Select(d => (d.Attempts, d.Status)).Single());
    }

    [Fact]
    public async Task AlertsAreFoundBySiteAndThoseWithoutOneAreTheFirstSites()
    {
        var store = await NewStore();
        await store.Save(Alert("old", "b1", AlertStatus.Open, T0));
        await store.Save(Alert("in-a", "b1", AlertStatus.Open, T0.AddSeconds(1)) with { SiteId = "school-a" });
        await store.Save(Alert("in-b", "b2", AlertStatus.Open, T0.AddSeconds(2)) with { SiteId = "school-b" });

        Assert.Equal(["in-b"], (await store.Query(new AlertQuery("all", Sites: ["school-b"], FirstSite: "school-a"))).Select(a => a.Id));
        Assert.Equal(["in-a", "old"], (await store.Query(new AlertQuery("all", Sites: ["school-a"], FirstSite: "school-a"))).Select(a => a.Id));
        Assert.Empty(await store.Query(new AlertQuery("all", Sites: [], FirstSite: "school-a")));
        Assert.Equal(3, (await store.Query(new AlertQuery("all"))).Count);
    }

    [Fact]
    public async Task TheLogsAreReadPerSiteInTheStoreSoAPageOfOneSiteIsFull()
    {
        // Three of B's rows come after one of A's and one written before there were sites (the first site's, A):
        // a page of 2 for A holds A's two, not what the newest rows leave of it.
        var store = await NewStore();
        string?[] sites = ["school-b", "school-b", "school-b", "school-a", null];
        for (var i = 0; i < sites.Length; i++)
        {
            var at = T0.AddMinutes(-i);
            await store.SaveCheckIn(new CheckIn($"c{i}", "cp", "r", "b", "li.wei", at, []) { SiteId = sites[i] });
            await store.SaveRound(new Round($"rt@{i}", "rt", "Night", at, at.AddMinutes(40), Round.Open, null, null, [], ["cp"]) { SiteId = sites[i] });
            await store.SaveTicket(new Ticket($"t{i}", "Lock", "open", "li.wei", at, "b", "r", null, null, null, null, null, null, null, false, []) { SiteId = sites[i] });
            var visit = Visit($"v{i}", $"P{i}", "Wang", $"h{i}", at, null, null);
            visit.Visitor = visit.Visitor with { SiteId = sites[i] };
            await store.SaveVisitor(visit);
            await store.Save(Alert($"a{i}", "b", AlertStatus.Open, at) with { SiteId = sites[i] });
            await store.SaveDelivery(new Delivery($"d{i}", $"a{i}", "duty", NotifyEvent.Raised, 0, Delivery.Sent, 1, null, at, at), "silo-a");
        }

        IReadOnlyList<string> ofA = ["school-a"];
        Assert.Equal(["c3", "c4"], (await store.QueryCheckIns(new CheckInQuery(null, null, null, null, 2) { Sites = ofA, FirstSite = "school-a" })).Select(c => c.Id));
        Assert.Equal(["rt@3", "rt@4"], (await store.QueryRounds(new RoundQuery(null, null, null, 2) { Sites = ofA, FirstSite = "school-a" })).Select(r => r.Id));
        Assert.Equal(["t3", "t4"], (await store.QueryTickets(new TicketQuery(Limit: 2) { Sites = ofA, FirstSite = "school-a" })).Select(t => t.Id));
        Assert.Equal(["v3", "v4"], (await store.QueryVisitors(new VisitorQuery(Limit: 2) { Sites = ofA, FirstSite = "school-a" })).Select(v => v.Id));
        Assert.Equal(["d3", "d4"], (await store.QueryDeliveries(new DeliveryQuery(null, null, 2) { Sites = ofA, FirstSite = "school-a" })).Select(d => d.DeliveryId));

        // B's, which is not the first site: its own rows only; and the site is kept with each.
        Assert.Equal(["c0", "c1"], (await store.QueryCheckIns(new CheckInQuery(null, null, null, null, 2) { Sites = ["school-b"], FirstSite = "school-a" })).Select(c => c.Id));
        Assert.Equal("school-b", (await store.QueryTickets(new TicketQuery(Limit: 1) { Sites = ["school-b"], FirstSite = "school-a" }))[0].SiteId);
        Assert.Equal(5, (await store.QueryVisitors(new VisitorQuery())).Count);
    }

    [Fact]
    public async Task ComplianceDaysAddUpPerSiteAndASetDayIsSetOnce()
    {
        var store = await NewStore();
        var (d1, d2) = (new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1));
        await store.AddCompliance("school-a", d1, 1, 0);
        await store.AddCompliance("school-a", d1, 0, 1);
        await store.AddCompliance("school-a", d2, 1, 0);
        await store.AddCompliance("school-b", d2, 0, 2);
        await store.SetCompliance("school-b", d1, new ComplianceCounts(5, 1));
        await store.SetCompliance("school-b", d1, new ComplianceCounts(5, 1));

        var all = (await store.ComplianceDays(d1, d2.AddDays(1), null)).OrderBy(d => (d.SiteId, d.Day)).ToList();
        Assert.Equal([("school-a", d1, 1, 1), ("school-a", d2, 1, 0), ("school-b", d1, 5, 1), ("school-b", d2, 0, 2)],
            all.Select(d => (d.SiteId, d.Day, d.Counts.OnTime, d.Counts.Missed)));
        Assert.Equal([d1], (await store.ComplianceDays(d1, d2, ["school-a"])).Select(d => d.Day));
        Assert.Empty(await store.ComplianceDays(d1, d2, []));
    }

    [Fact]
    public async Task AuditEntriesAreReadPerSiteWithThoseOfNoSite()
    {
        var store = await NewStore();
        AuditEntry Entry(string id, int second, string? site) =>
            new(id, T0.AddSeconds(second), "admin", "POST /api/x", null, null, null, 200) { SiteId = site };
        await store.Append(Entry("users", 0, null));
        await store.Append(Entry("at-a", 1, "school-a"));
        await store.Append(Entry("at-b", 2, "school-b"));

        Assert.Equal(["at-a", "users"], (await store.QueryAudit(new AuditQuery { Sites = ["school-a"] })).Select(e => e.Id));
        Assert.Equal("school-a", (await store.QueryAudit(new AuditQuery { Sites = ["school-a"] }))[0].SiteId);
        Assert.Equal(["users"], (await store.QueryAudit(new AuditQuery { Sites = [] })).Select(e => e.Id));
        Assert.Equal(3, (await store.QueryAudit(new AuditQuery())).Count);
    }

    [Fact]
    public async Task UnresolvedAlertsAreCountedPerSiteAndSeverityInTheStore()
    {
        var store = await NewStore();
        await store.Save(Alert("old", "b1", AlertStatus.Open, T0));
        await store.Save(Alert("a1", "b1", AlertStatus.Acknowledged, T0) with { SiteId = "school-a", Severity = "major" });
        await store.Save(Alert("a2", "b1", AlertStatus.Open, T0) with { SiteId = "school-a", Severity = "major" });
        await store.Save(Alert("a3", "b1", AlertStatus.Resolved, T0) with { SiteId = "school-a" });
        await store.Save(Alert("b1", "b2", AlertStatus.Open, T0) with { SiteId = "school-b", Severity = "minor" });
        // An alert whose severity changed is counted as it is now.
        await store.Save(Alert("b2", "b2", AlertStatus.Open, T0) with { SiteId = "school-b", Severity = "minor" });
        await store.Save(Alert("b2", "b2", AlertStatus.Open, T0) with { SiteId = "school-b", Severity = "critical" });

        var all = (await store.OpenBySite(null, "school-a")).OrderBy(o => (o.SiteId, o.Severity)).Select(o => (o.SiteId, o.Severity, o.Count));
        Assert.Equal([("school-a", "critical", 1), ("school-a", "major", 2), ("school-b", "critical", 1), ("school-b", "minor", 1)], all);
        Assert.Equal([("school-b", "critical", 1), ("school-b", "minor", 1)],
            (await store.OpenBySite(["school-b"], "school-a")).OrderBy(o => o.Severity).Select(o => (o.SiteId, o.Severity, o.Count)));
    }

    [Fact]
    public async Task AFloorPlanKeepsItsPictureWhenOnlyItsPositionsChange()
    {
        var store = await NewStore();
        Assert.Null(await store.GetPlan("b1", 2));
        var plan = new FloorPlan("b1", 2, "image/png", 800, 600, T0, "admin", []);
        await store.SavePlan(plan, [1, 2, 3]);
        await store.SavePlan(plan with { Positions = [new PlanPosition("b1-201", 0.25, 0.5)], UpdatedAt = T0.AddMinutes(1) }, null);

        var kept = (await store.GetPlan("b1", 2))!;
        Assert.Equal([new PlanPosition("b1-201", 0.25, 0.5)], kept.Positions);
        Assert.Equal((800, 600, T0.AddMinutes(1)), (kept.Width, kept.Height, kept.UpdatedAt));
        Assert.Equal([1, 2, 3], await store.GetPlanImage("b1", 2));
        await store.SavePlan(plan, [4]);
        Assert.Equal([4], await store.GetPlanImage("b1", 2));
        Assert.Null(await store.GetPlanImage("b1", 1));
    }

    [Fact]
    public async Task MinutesOfHistoryAddUpWithWhatIsKeptAndWithEachOtherInOneWrite()
    {
        var store = await NewStore();
        MinuteAggregate Minute(string device, int minute, double min, double max, double sum, long count, double last, int lastSecond) =>
            new(device, "voltage", T0.AddMinutes(minute), min, max, sum, count, last, T0.AddMinutes(minute).AddSeconds(lastSecond));

        await store.AddMinutes([Minute("d1", 0, 220, 225, 445, 2, 225, 10)]);

        // A write kept after a failed one holds a minute twice (the open minute, taken at each flush): it adds up, with
        // what is kept and with itself, across more rows than one statement takes.
        await store.AddMinutes([
            Minute("d1", 0, 210, 222, 432, 2, 210, 40),
            Minute("d1", 1, 200, 200, 200, 1, 200, 5),
            Minute("d1", 0, 230, 231, 461, 2, 230, 20),
            .. Enumerable.Range(1, 250).Select(i => Minute($"d{i + 1}", 0, i, i, i, 1, i, 1)),
        ]);

        var d1 = await store.QueryMinutes("d1", "voltage", T0, T0.AddMinutes(2));
        Assert.Equal([Minute("d1", 0, 210, 231, 1338, 6, 210, 40), Minute("d1", 1, 200, 200, 200, 1, 200, 5)], d1);
        Assert.Equal([Minute("d251", 0, 250, 250, 250, 1, 250, 1)], await store.QueryMinutes("d251", "voltage", T0, T0.AddMinutes(2)));
    }

    protected static Alert Alert(string id, string building, string status, DateTimeOffset at) => new()
    {
        Id = id, Type = "fire.smoke", Category = "sensor", Severity = "critical", Message = "Smoke detected",
        Status = status, BuildingId = building, RoomId = building + "-101", RaisedAt = at, LastChangedAt = at,
    };
}

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly List<SqliteStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _temp.Dispose();
    }

    [Fact]
    public async Task AnAlertSavedBeforeItsSeverityHadAColumnIsCountedOnceTheStoreOpensAgain()
    {
        var folder = Path.Combine(_temp.Path, "earlier");
        using (var store = new SqliteStore(folder, new StoreHealth()))
        {
            await store.Save(Alert("e1", "b1", AlertStatus.Open, T0) with { SiteId = "school-a", Severity = "major" });
        }

        // As an earlier version left it: the severity in the alert's JSON alone.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, SqliteStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var forget = connection.CreateCommand();
            forget.CommandText = "UPDATE alerts SET severity = NULL";
            Assert.Equal(1, forget.ExecuteNonQuery());
        }

        using var reopened = new SqliteStore(folder, new StoreHealth());
        Assert.Equal([("school-a", "major", 1)], (await reopened.OpenBySite(null, "school-a")).Select(o => (o.SiteId, o.Severity, o.Count)));
    }

    [Fact]
    public async Task SilosOpeningOneNewDatabaseTogetherEachFindItsSchemaWhole()
    {
        // As a test cluster's silos on one data folder start: each adds the columns the database lacks, and none may add one twice.
        for (var round = 0; round < 20; round++)
        {
            var folder = Path.Combine(_temp.Path, $"together-{round}");
            using var start = new Barrier(4);
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return new SqliteStore(folder, new StoreHealth());
            })));
            _stores.AddRange(stores);
            await stores[0].Probe();
        }
    }

    protected override Task<RelationalStore> NewStore()
    {
        var store = new SqliteStore(Path.Combine(_temp.Path, Guid.NewGuid().ToString("N")), new StoreHealth());
        _stores.Add(store);
        return Task.FromResult<RelationalStore>(store);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : StoreContractTests
{
    [Fact]
    public async Task NodesStartingTogetherMigrateTheSchemaExactlyOnce()
    {
        var connection = await server.NewDatabase();
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresStore(NpgsqlDataSource.Create(connection), new StoreHealth())).ToList();

        var applied = await Task.WhenAll(stores.Select(s => s.Migrate()));

        Assert.Equal(PostgresSchema.Migrations.Length, applied.Sum());
        Assert.Equal(0, await stores[0].Migrate());
        await stores[0].Probe();
    }

    protected override async Task<RelationalStore> NewStore()
    {
        // Pooled as a node's store is (ClusterMode caps the pool), so many writes at once queue for a connection rather than exceed the server's.
        var store = new PostgresStore(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(await server.NewDatabase()) { MaxPoolSize = 10 }.ConnectionString), new StoreHealth());
        await store.Migrate();
        return store;
    }
}
