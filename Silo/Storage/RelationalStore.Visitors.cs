using System.Text.Json;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Visitors;

namespace SafetyPatrol.Silo.Storage;

/// <summary>Visits at the gate: the row (and the visitor's photo) is all there is of a visit, so the retention's delete leaves nothing behind.</summary>
public abstract partial class RelationalStore : IVisitorStore
{
    public Task SaveVisitor(VisitorRecord record) => Execute("""
        INSERT INTO visitors (id, pass, id_hash, name, phone, arrived_at, departed_at, json, site_id) VALUES (@id, @p, @h, @n, @ph, @a, @d, @json, @site)
        ON CONFLICT (id) DO UPDATE SET departed_at = excluded.departed_at, json = excluded.json
        """,
        ("@id", record.Visitor.Id), ("@p", record.Visitor.Pass), ("@h", record.IdHash), ("@n", record.Visitor.Name.ToLowerInvariant()),
        ("@ph", record.Visitor.Phone), ("@a", record.Visitor.ArrivedAt.ToUnixTimeMilliseconds()), ("@d", record.Visitor.DepartedAt?.ToUnixTimeMilliseconds()),
        ("@json", JsonSerializer.Serialize(record, Json)), ("@site", record.Visitor.SiteId));

    public async Task<VisitorRecord?> GetVisitor(string id) => (await QueryJson<VisitorRecord>("visitors", "id", 1, Is("id", id))).FirstOrDefault();

    public async Task<IReadOnlyList<Visitor>> QueryVisitors(VisitorQuery query) =>
        [.. (await QueryJson<VisitorRecord>("visitors", "arrived_at DESC, id DESC", query.Limit,
            query.OnSite switch { true => new Condition("departed_at IS NULL"), false => new Condition("departed_at IS NOT NULL"), _ => null },
            From("arrived_at", query.From), Before("arrived_at", query.To), Is("pass", query.Pass), Is("id_hash", query.IdHash),
            query.Text is { Length: > 0 } text ? new Condition("(name LIKE @text OR phone LIKE @text)", ("@text", "%" + text.ToLowerInvariant() + "%")) : null,
            InSites(query.Sites, query.FirstSite)))
            .Select(r => r.Visitor)];

    public async Task<int> CountVisits(string idHash)
    {
        await using var connection = await OpenReader();
        await using var command = Command(connection, "SELECT count(*) FROM visitors WHERE id_hash = @h", ("@h", idHash));
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    /// <remarks>A visit's photo goes with it, first: a prune cut short leaves the rows, and the next one finishes.</remarks>
    public async Task<int> PruneVisitors(DateTimeOffset departedBefore)
    {
        var before = ("@t", (object?)departedBefore.ToUnixTimeMilliseconds());
        var ending = await QueryJson<VisitorRecord>("visitors", "id", int.MaxValue, new Condition("departed_at < @t", before));
        foreach (var photoId in ending.Select(r => r.Visitor.PhotoId).OfType<string>())
        {
            await Execute("DELETE FROM photos WHERE id = @id", ("@id", photoId));
        }

        return await Execute("DELETE FROM visitors WHERE departed_at < @t", before);
    }
}
