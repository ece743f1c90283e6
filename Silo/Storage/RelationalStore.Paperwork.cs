using System.Text.Json;
using SafetyPatrol.Audit;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;
using SafetyPatrol.Sites;
using SafetyPatrol.Tickets;

namespace SafetyPatrol.Silo.Storage;

/// <summary>The paperwork of docs/interface.md §10: audit log, repair tickets, finding photos and reading history.</summary>
public abstract partial class RelationalStore : IAuditStore, ITicketStore, IPhotoStore, IHistoryStore, IFloorPlanStore
{
    /// <summary>The smaller and the larger of two values, as this database spells it (SQLite: <c>min</c>/<c>max</c>, PostgreSQL: <c>least</c>/<c>greatest</c>).</summary>
    protected abstract (string Least, string Greatest) MinMax { get; }

    public Task Append(AuditEntry entry) => Execute("INSERT INTO audit (id, at, username, action, json, site_id) VALUES (@id, @at, @u, @a, @json, @site)",
        ("@id", entry.Id), ("@at", entry.At.ToUnixTimeMilliseconds()), ("@u", entry.User), ("@a", entry.Action), ("@json", JsonSerializer.Serialize(entry, Json)),
        ("@site", entry.SiteId));

    public Task<IReadOnlyList<AuditEntry>> QueryAudit(AuditQuery query) => QueryJson<AuditEntry>("audit", "at DESC, id DESC", query.Limit,
        Is("username", query.User), query.Action is { } a ? new Condition("action LIKE @action", ("@action", "%" + a + "%")) : null,
        From("at", query.From), Before("at", query.To), After("at", query.After), InSitesOrNone(query.Sites));

    public Task SaveTicket(Ticket ticket) => Execute("""
        INSERT INTO tickets (id, status, assignee, reporter, created_at, json, site_id) VALUES (@id, @s, @a, @r, @t, @json, @site)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, json = excluded.json
        """,
        ("@id", ticket.Id), ("@s", ticket.Status), ("@a", ticket.Assignee), ("@r", ticket.Reporter), ("@t", ticket.CreatedAt.ToUnixTimeMilliseconds()),
        ("@json", JsonSerializer.Serialize(ticket, Json)), ("@site", ticket.SiteId));

    public Task<IReadOnlyList<Ticket>> QueryTickets(TicketQuery query) => QueryJson<Ticket>("tickets", "created_at DESC, id DESC", query.Limit,
        query.Status == "unfinished" ? new Condition("status <> 'signed-off'") : Is("status", query.Status),
        Is("assignee", query.Assignee), Is("reporter", query.Reporter), From("created_at", query.From), Before("created_at", query.To),
        InSites(query.Sites, query.FirstSite));

    public Task SavePhoto(Photo photo) => Execute("INSERT INTO photos (id, content_type, uploaded_by, at, data) VALUES (@id, @ct, @u, @at, @data)",
        ("@id", photo.Id), ("@ct", photo.ContentType), ("@u", photo.UploadedBy), ("@at", photo.At.ToUnixTimeMilliseconds()), ("@data", photo.Data));

    public async Task<Photo?> GetPhoto(string id)
    {
        await using var connection = await OpenReader();
        await using var command = Command(connection, "SELECT content_type, uploaded_by, at, data FROM photos WHERE id = @id", ("@id", id));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new Photo(id, reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), (byte[])reader[3])
            : null;
    }

    public Task SavePlan(FloorPlan plan, byte[]? image) => image is null
        ? Execute("UPDATE floor_plans SET json = @json WHERE building_id = @b AND floor = @f",
            ("@b", plan.BuildingId), ("@f", plan.Floor), ("@json", JsonSerializer.Serialize(plan, Json)))
        : Execute("""
            INSERT INTO floor_plans (building_id, floor, json, image) VALUES (@b, @f, @json, @image)
            ON CONFLICT (building_id, floor) DO UPDATE SET json = excluded.json, image = excluded.image
            """,
            ("@b", plan.BuildingId), ("@f", plan.Floor), ("@json", JsonSerializer.Serialize(plan, Json)), ("@image", image));

    public async Task<FloorPlan?> GetPlan(string buildingId, int floor) =>
        await ReadPlan<FloorPlan>(buildingId, floor, "json", reader => JsonSerializer.Deserialize<FloorPlan>(reader.GetString(0), Json));

    public async Task<byte[]?> GetPlanImage(string buildingId, int floor) =>
        await ReadPlan<byte[]>(buildingId, floor, "image", reader => (byte[])reader[0]);

    private async Task<T?> ReadPlan<T>(string buildingId, int floor, string column, Func<System.Data.Common.DbDataReader, T?> read)
        where T : class
    {
        await using var connection = await OpenReader();
        await using var command = Command(connection, $"SELECT {column} FROM floor_plans WHERE building_id = @b AND floor = @f", ("@b", buildingId), ("@f", floor));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? read(reader) : null;
    }

    public async Task AddMinutes(IReadOnlyList<MinuteAggregate> minutes)
    {
        var (least, greatest) = MinMax;
        foreach (var batch in OnePerMinute(minutes).Chunk(IHistoryStore.MinutesPerWrite))
        {
            var rows = batch.Select((_, i) => $"(@d{i}, @m{i}, @t{i}, @lo{i}, @hi{i}, @s{i}, @n{i}, @l{i}, @la{i})");
            var parameters = batch.SelectMany((m, i) => new (string, object?)[]
            {
                ($"@d{i}", m.DeviceId), ($"@m{i}", m.Metric), ($"@t{i}", m.At.ToUnixTimeMilliseconds()), ($"@lo{i}", m.Min), ($"@hi{i}", m.Max),
                ($"@s{i}", m.Sum), ($"@n{i}", m.Count), ($"@l{i}", m.Last), ($"@la{i}", m.LastAt.ToUnixTimeMilliseconds()),
            }).ToArray();
            await Write($"""
                INSERT INTO history (device_id, metric, at, min, max, sum, count, last, last_at) VALUES {string.Join(", ", rows)}
                ON CONFLICT (device_id, metric, at) DO UPDATE SET
                    min = {least}(history.min, excluded.min), max = {greatest}(history.max, excluded.max),
                    sum = history.sum + excluded.sum, count = history.count + excluded.count,
                    last = CASE WHEN excluded.last_at >= history.last_at THEN excluded.last ELSE history.last END,
                    last_at = {greatest}(history.last_at, excluded.last_at)
                """, parameters, command => command.ExecuteNonQueryAsync(), background: true);
        }
    }

    /// <summary>
    /// One row per device, metric and minute, added up as the statement adds a row to the one kept: PostgreSQL refuses a
    /// statement that changes a row twice (21000), and the recorder, keeping what it could not write, would then try the
    /// same again at every flush. A minute comes twice when the flush after a failed one takes the open minute again, or
    /// when a device's own timestamps go back over a minute's edge.
    /// </summary>
    private static IEnumerable<MinuteAggregate> OnePerMinute(IReadOnlyList<MinuteAggregate> minutes)
    {
        var rows = new Dictionary<(string Device, string Metric, DateTimeOffset At), MinuteAggregate>(minutes.Count);
        foreach (var minute in minutes)
        {
            ref var row = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(rows, (minute.DeviceId, minute.Metric, minute.At), out var twice);
            row = !twice ? minute : row! with
            {
                Min = Math.Min(row.Min, minute.Min),
                Max = Math.Max(row.Max, minute.Max),
                Sum = row.Sum + minute.Sum,
                Count = row.Count + minute.Count,
                Last = minute.LastAt >= row.LastAt ? minute.Last : row.Last,
                LastAt = minute.LastAt >= row.LastAt ? minute.LastAt : row.LastAt,
            };
        }

        return rows.Values;
    }

    public async Task<IReadOnlyList<MinuteAggregate>> QueryMinutes(string deviceId, string metric, DateTimeOffset from, DateTimeOffset to)
    {
        List<MinuteAggregate> minutes = [];
        await using var connection = await OpenReader();
        await using var command = Command(connection,
            "SELECT at, min, max, sum, count, last, last_at FROM history WHERE device_id = @d AND metric = @m AND at >= @from AND at < @to ORDER BY at",
            ("@d", deviceId), ("@m", metric), ("@from", from.ToUnixTimeMilliseconds()), ("@to", to.ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            minutes.Add(new MinuteAggregate(deviceId, metric, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2),
                reader.GetDouble(3), reader.GetInt64(4), reader.GetDouble(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }

        return minutes;
    }

    public Task<int> PruneHistory(DateTimeOffset before) => Execute("DELETE FROM history WHERE at < @t", ("@t", before.ToUnixTimeMilliseconds()));
}
