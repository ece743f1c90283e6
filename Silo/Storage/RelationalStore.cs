using SafetyPatrol.Paging;
using System.Data.Common;
using System.Text.Json;
using Orleans.Storage;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Notifications;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The store's tables and queries, once, over ADO.NET: the embedded SQLite store and the cluster's
/// PostgreSQL share them (both speak <c>@name</c> parameters and <c>ON CONFLICT</c>), so they cannot
/// drift apart. A write that fails is reported to <see cref="StoreHealth"/> and thrown as
/// <see cref="StoreUnavailableException"/>; callers keep what they could not write and try again.
/// </summary>
public abstract partial class RelationalStore(StoreHealth health) : IGrainStateStore, IAlertStore, ILedgerStore, INotificationStore, ISecretStore
{
    private const string HealthCheck = "write";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where the data lives, for messages ("the database /var/lib/…", "PostgreSQL at …").</summary>
    public abstract string Where { get; }

    /// <summary>A write of one small row, to learn whether writing works.</summary>
    public Task Probe() => Execute("INSERT INTO health_probe (id, at) VALUES (1, @t) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public async Task<StoredState?> Read(string stateName, string grainId)
    {
        await using var connection = await OpenReader();
        await using var command = Command(connection, "SELECT data, etag FROM grain_state WHERE state_name = @s AND grain_id = @g", ("@s", stateName), ("@g", grainId));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new StoredState((byte[])reader[0], reader.GetString(1)) : null;
    }

    public async Task<string> Write(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedEtag)
    {
        var etag = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bytes = data.ToArray();
        var written = expectedEtag is null ? 0
            : await Execute("UPDATE grain_state SET etag = @e, data = @d, updated_at = @t WHERE state_name = @s AND grain_id = @g AND etag = @old",
                ("@s", stateName), ("@g", grainId), ("@e", etag), ("@d", bytes), ("@t", now), ("@old", expectedEtag));

        // A new row; or one missing altogether, lost with a deleted database: the grain's state is written anew.
        if (written == 0)
        {
            written = await Execute("INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES (@s, @g, @e, @d, @t) ON CONFLICT DO NOTHING",
                ("@s", stateName), ("@g", grainId), ("@e", etag), ("@d", bytes), ("@t", now));
        }

        return written == 1
            ? etag
            : throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by someone else.", "unknown", expectedEtag ?? "none");
    }

    public Task Clear(string stateName, string grainId, string? expectedEtag) =>
        Execute("DELETE FROM grain_state WHERE state_name = @s AND grain_id = @g", ("@s", stateName), ("@g", grainId));

    public async Task<Alert?> Get(string id) => (await QueryJson<Alert>("alerts", "id", 1, Is("id", id))).FirstOrDefault();

    public Task Save(Alert alert) => Execute("""
        INSERT INTO alerts (id, status, type, building_id, room_id, raised_at, json, site_id, severity) VALUES (@id, @status, @type, @b, @r, @t, @json, @site, @sev)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, json = excluded.json, severity = excluded.severity
        """,
        ("@id", alert.Id), ("@status", alert.Status), ("@type", alert.Type), ("@b", alert.BuildingId), ("@r", alert.RoomId), ("@site", alert.SiteId), ("@sev", alert.Severity),
        ("@t", alert.RaisedAt.ToUnixTimeMilliseconds()), ("@json", JsonSerializer.Serialize(alert, Json)));

    public async Task<IReadOnlyList<Alert>> Query(AlertQuery query)
    {
        var status = query.Status switch
        {
            "all" => null,
            "unresolved" => new Condition("status <> 'resolved'"),
            var one => Is("status", one),
        };

        var alerts = await QueryJson<Alert>("alerts", "raised_at DESC, id DESC", query.Limit,
            status, Is("building_id", query.BuildingId), Is("room_id", query.RoomId), Is("type", query.Type), After("raised_at", query.After),
            From("raised_at", query.RaisedFrom), Before("raised_at", query.RaisedBefore), InSites(query.Sites, query.FirstSite));
        return [.. alerts.Select(a => a with { History = null })];
    }

    public Task SaveCheckIn(CheckIn checkIn) => Execute("INSERT INTO checkins (id, checkpoint_id, officer, at, json, site_id) VALUES (@id, @cp, @o, @at, @json, @site)",
        ("@id", checkIn.Id), ("@cp", checkIn.CheckpointId), ("@o", checkIn.Officer), ("@at", checkIn.At.ToUnixTimeMilliseconds()),
        ("@json", JsonSerializer.Serialize(checkIn, Json)), ("@site", checkIn.SiteId));

    public Task<IReadOnlyList<CheckIn>> QueryCheckIns(CheckInQuery query) => QueryJson<CheckIn>("checkins", "at DESC", query.Limit,
        Is("checkpoint_id", query.CheckpointId), Is("officer", query.Officer), From("at", query.From), Before("at", query.To), InSites(query.Sites, query.FirstSite));

    public Task SaveRound(Round round) => Execute(
        "INSERT INTO rounds (id, route_id, starts_at, json, site_id) VALUES (@id, @route, @t, @json, @site) ON CONFLICT (id) DO UPDATE SET json = excluded.json, site_id = excluded.site_id",
        ("@id", round.Id), ("@route", round.RouteId), ("@t", round.StartsAt.ToUnixTimeMilliseconds()), ("@json", JsonSerializer.Serialize(round, Json)), ("@site", round.SiteId));

    public Task<IReadOnlyList<Round>> QueryRounds(RoundQuery query) => QueryJson<Round>("rounds", "starts_at DESC", query.Limit,
        Is("route_id", query.RouteId), From("starts_at", query.From), Before("starts_at", query.To), InSites(query.Sites, query.FirstSite));

    public Task SaveDelivery(Delivery delivery, string owner) => Execute("""
        INSERT INTO notifications (id, alert_id, status, created_at, json, alert_json, owner) VALUES (@id, @alert, @status, @t, @json, @alertJson, @owner)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, json = excluded.json, owner = excluded.owner
        """,
        ("@id", delivery.DeliveryId), ("@alert", delivery.AlertId), ("@status", delivery.Status), ("@t", delivery.CreatedAt.ToUnixTimeMilliseconds()),
        ("@json", JsonSerializer.Serialize(delivery, Json)), ("@alertJson", delivery.Alert is null ? null : JsonSerializer.Serialize(delivery.Alert, Json)),
        ("@owner", owner));

    public Task<IReadOnlyList<Delivery>> QueryDeliveries(DeliveryQuery query) => QueryJson<Delivery>("notifications", "created_at DESC, id DESC", query.Limit,
        Is("alert_id", query.AlertId), Is("status", query.Status),
        InSites(query.Sites, query.FirstSite) is { } sites ? sites with { Sql = $"alert_id IN (SELECT id FROM alerts WHERE {sites.Sql})" } : null);

    public Task<IReadOnlyList<Delivery>> TakePendingDeliveries(string owner, IReadOnlyCollection<string> live)
    {
        // One statement: a row another node took a moment ago is owned by a live node and no longer matches.
        var others = live.Select((_, i) => $"@live{i}").ToList();
        var sql = "UPDATE notifications SET owner = @owner WHERE status = 'pending'"
            + (others.Count > 0 ? $" AND (owner IS NULL OR owner NOT IN ({string.Join(", ", others)}))" : "")
            + " RETURNING json, alert_json, created_at";
        (string, object?)[] parameters = [("@owner", owner), .. live.Select((l, i) => ($"@live{i}", (object?)l))];
        return Write<IReadOnlyList<Delivery>>(sql, parameters, async command =>
        {
            List<(long At, Delivery Delivery)> taken = [];
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var delivery = JsonSerializer.Deserialize<Delivery>(reader.GetString(0), Json)!;
                taken.Add((reader.GetInt64(2), delivery with { Alert = reader.IsDBNull(1) ? null : JsonSerializer.Deserialize<Alert>(reader.GetString(1), Json) }));
            }

            return [.. taken.OrderBy(t => t.At).Select(t => t.Delivery)];
        });
    }

    public async Task<string> GetOrAdd(string name, string value)
    {
        await Execute("INSERT INTO secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING", ("@name", name), ("@value", value));
        await using var connection = await OpenReader();
        await using var command = Command(connection, "SELECT value FROM secrets WHERE name = @name", ("@name", name));
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A connection for reading, open.</summary>
    protected abstract Task<DbConnection> OpenReader();

    /// <summary>
    /// Runs one writing command and reads what it answers; the store decides on which connection (SQLite: its
    /// single writer, PostgreSQL: the pool). A <paramref name="background"/> write is one nobody waits on at once
    /// (reading history): a store with a single writer keeps it from holding up the others.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store knows, before trying, that it cannot write.</exception>
    protected abstract Task<T> ExecuteWrite<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run, bool background);

    protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>One write; how it went is reported to the store's health.</summary>
    private Task<int> Execute(string sql, params (string Name, object? Value)[] parameters) =>
        Write(sql, parameters, command => command.ExecuteNonQueryAsync());

    /// <summary>One write that answers rows; how it went is reported to the store's health.</summary>
    private async Task<T> Write<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run, bool background = false)
    {
        try
        {
            var answer = await ExecuteWrite(sql, parameters, run, background);
            health.Report(HealthCheck, null);
            return answer;
        }
        catch (DbException ex)
        {
            var problem = $"Cannot write to {Where}: {ex.Message}";
            health.Report(HealthCheck, problem);
            throw new StoreUnavailableException(problem, ex);
        }
        catch (StoreUnavailableException ex)
        {
            health.Report(HealthCheck, ex.Message);
            throw;
        }
    }

    private static Condition? Is(string column, string? value) => value is null ? null : new($"{column} = @{column}", ($"@{column}", value));

    /// <summary>
    /// Keyset paging of a list ordered by (<paramref name="column"/>, id) newest first: the page after a cursor starts below the
    /// (time, id) it names, so entries added meanwhile (a flood of alerts) do not shift it.
    /// </summary>
    private static Condition? After(string column, PageCursor? cursor) => cursor is null ? null
        : new($"({column} < @ct OR ({column} = @ct AND id < @cid))", ("@ct", cursor.At.ToUnixTimeMilliseconds()), ("@cid", cursor.Id));

    public async Task<IReadOnlyList<OpenAlerts>> OpenBySite(IReadOnlyList<string>? sites, string firstSite)
    {
        var inSites = InSites(sites, firstSite);
        List<OpenAlerts> counts = [];
        await using var connection = await OpenReader();
        await using var command = Command(connection,
            $"SELECT COALESCE(site_id, @first), severity, count(*) FROM alerts WHERE status <> 'resolved'{(inSites is null ? "" : " AND " + inSites.Sql)} GROUP BY COALESCE(site_id, @first), severity",
            [.. inSites?.Parameters ?? [], ("@first", firstSite)]);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts.Add(new OpenAlerts(reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return counts;
    }

    /// <summary>Rows of these sites; a row without a site (written before there were several) is the first site's.</summary>
    private static Condition? InSites(IReadOnlyList<string>? sites, string? firstSite) =>
        sites is null ? null : SiteCondition(sites, firstSite is not null && sites.Contains(firstSite));

    /// <summary>Rows of these sites and rows of no site.</summary>
    private static Condition? InSitesOrNone(IReadOnlyList<string>? sites) => sites is null ? null : SiteCondition(sites, true);

    private static Condition SiteCondition(IReadOnlyList<string> sites, bool orNone)
    {
        var names = sites.Select((_, i) => $"@site{i}").ToList();
        var sql = (names.Count > 0 ? $"site_id IN ({string.Join(", ", names)})" : "1 = 0") + (orNone ? " OR site_id IS NULL" : "");
        return new Condition($"({sql})", [.. sites.Select((s, i) => ($"@site{i}", (object?)s))]);
    }

    private static Condition? From(string column, DateTimeOffset? at) => at is { } f ? new($"{column} >= @from", ("@from", f.ToUnixTimeMilliseconds())) : null;

    private static Condition? Before(string column, DateTimeOffset? at) => at is { } t ? new($"{column} < @to", ("@to", t.ToUnixTimeMilliseconds())) : null;

    /// <summary>The JSON rows of a table that meet every given condition (absent ones are skipped), in order.</summary>
    private async Task<IReadOnlyList<T>> QueryJson<T>(string table, string orderBy, int limit, params Condition?[] conditions)
    {
        var where = conditions.OfType<Condition>().ToList();
        var sql = $"SELECT json FROM {table}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where.Select(c => c.Sql)) : "")
            + $" ORDER BY {orderBy} LIMIT @limit";
        var parameters = where.SelectMany(c => c.Parameters).Append(("@limit", (object?)limit)).ToArray();
        List<T> rows = [];
        await using var connection = await OpenReader();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), Json)!);
        }

        return rows;
    }

    /// <summary>One SQL condition and its parameters.</summary>
    private sealed record Condition(string Sql, params (string Name, object? Value)[] Parameters);
}
