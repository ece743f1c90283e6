using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Patrols;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The embedded store: one SQLite file in <c>DataDir</c> holding grain state and the alert log.
/// WAL mode with synchronous=NORMAL survives a killed process. Writes go through one connection
/// behind a lock, since SQLite has a single writer anyway; reads use pooled connections of their
/// own, which WAL lets run beside the writer, so grain activations do not queue behind writes.
/// </summary>
public sealed class SqliteStore : IGrainStateStore, IAlertStore, ILedgerStore, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly string _readers;

    public SqliteStore(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDir, "safetypatrol.db"));
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        _connection.Open();
        _readers = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                etag       TEXT NOT NULL,
                data       BLOB NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (state_name, grain_id));
            CREATE TABLE IF NOT EXISTS alerts (
                id          TEXT PRIMARY KEY,
                status      TEXT NOT NULL,
                type        TEXT NOT NULL,
                building_id TEXT,
                room_id     TEXT,
                raised_at   INTEGER NOT NULL,
                json        TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS alerts_by_status ON alerts (status, raised_at DESC);
            CREATE INDEX IF NOT EXISTS alerts_by_room ON alerts (room_id, status);
            CREATE TABLE IF NOT EXISTS checkins (
                id            TEXT PRIMARY KEY,
                checkpoint_id TEXT NOT NULL,
                officer       TEXT NOT NULL,
                at            INTEGER NOT NULL,
                json          TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS checkins_by_time ON checkins (at DESC);
            CREATE TABLE IF NOT EXISTS rounds (
                id        TEXT PRIMARY KEY,
                route_id  TEXT NOT NULL,
                starts_at INTEGER NOT NULL,
                json      TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS rounds_by_time ON rounds (starts_at DESC);
            """);
    }

    public string Path { get; }

    public Task<StoredState?> Read(string stateName, string grainId)
    {
        using var connection = Reader();
        using var command = Command(connection, "SELECT data, etag FROM grain_state WHERE state_name = $s AND grain_id = $g", ("$s", stateName), ("$g", grainId));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? new StoredState((byte[])reader[0], reader.GetString(1)) : null);
    }

    public Task<string> Write(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedEtag)
    {
        var etag = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            using var command = expectedEtag is null
                ? Command("INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ($s, $g, $e, $d, $t) ON CONFLICT DO NOTHING",
                    ("$s", stateName), ("$g", grainId), ("$e", etag), ("$d", data.ToArray()), ("$t", now))
                : Command("UPDATE grain_state SET etag = $e, data = $d, updated_at = $t WHERE state_name = $s AND grain_id = $g AND etag = $old",
                    ("$s", stateName), ("$g", grainId), ("$e", etag), ("$d", data.ToArray()), ("$t", now), ("$old", expectedEtag));
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by someone else.", "unknown", expectedEtag ?? "none");
            }
        }

        return Task.FromResult(etag);
    }

    public Task Clear(string stateName, string grainId, string? expectedEtag)
    {
        lock (_gate)
        {
            using var command = Command("DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g", ("$s", stateName), ("$g", grainId));
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public Task<Alert?> Get(string id)
    {
        using var connection = Reader();
        using var command = Command(connection, "SELECT json FROM alerts WHERE id = $id", ("$id", id));
        return Task.FromResult(command.ExecuteScalar() is string json ? JsonSerializer.Deserialize<Alert>(json, Json) : null);
    }

    public Task Save(Alert alert)
    {
        var json = JsonSerializer.Serialize(alert, Json);
        lock (_gate)
        {
            using var command = Command("""
                INSERT INTO alerts (id, status, type, building_id, room_id, raised_at, json) VALUES ($id, $status, $type, $b, $r, $t, $json)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, json = excluded.json
                """,
                ("$id", alert.Id), ("$status", alert.Status), ("$type", alert.Type), ("$b", alert.BuildingId), ("$r", alert.RoomId),
                ("$t", alert.RaisedAt.ToUnixTimeMilliseconds()), ("$json", json));
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Alert>> Query(AlertQuery query)
    {
        var status = query.Status switch
        {
            "all" => null,
            "unresolved" => new Condition("status <> 'resolved'"),
            var one => Is("status", one),
        };
        var alerts = QueryJson<Alert>("alerts", "raised_at DESC, id DESC", query.Limit,
            status, Is("building_id", query.BuildingId), Is("room_id", query.RoomId), Is("type", query.Type));
        return Task.FromResult<IReadOnlyList<Alert>>([.. alerts.Select(a => a with { History = null })]);
    }

    public Task SaveCheckIn(CheckIn checkIn)
    {
        lock (_gate)
        {
            using var command = Command("INSERT INTO checkins (id, checkpoint_id, officer, at, json) VALUES ($id, $cp, $o, $at, $json)",
                ("$id", checkIn.Id), ("$cp", checkIn.CheckpointId), ("$o", checkIn.Officer), ("$at", checkIn.At.ToUnixTimeMilliseconds()),
                ("$json", JsonSerializer.Serialize(checkIn, Json)));
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckIn>> QueryCheckIns(CheckInQuery query) => Task.FromResult(QueryJson<CheckIn>("checkins", "at DESC", query.Limit,
        Is("checkpoint_id", query.CheckpointId), Is("officer", query.Officer), From("at", query.From), Before("at", query.To)));

    public Task SaveRound(Round round)
    {
        lock (_gate)
        {
            using var command = Command(
                "INSERT INTO rounds (id, route_id, starts_at, json) VALUES ($id, $route, $t, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
                ("$id", round.Id), ("$route", round.RouteId), ("$t", round.StartsAt.ToUnixTimeMilliseconds()), ("$json", JsonSerializer.Serialize(round, Json)));
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Round>> QueryRounds(RoundQuery query) => Task.FromResult(QueryJson<Round>("rounds", "starts_at DESC", query.Limit,
        Is("route_id", query.RouteId), From("starts_at", query.From), Before("starts_at", query.To)));

    public void Dispose()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private static Condition? Is(string column, string? value) => value is null ? null : new($"{column} = ${column}", $"${column}", value);

    private static Condition? From(string column, DateTimeOffset? at) => at is { } f ? new($"{column} >= $from", "$from", f.ToUnixTimeMilliseconds()) : null;

    private static Condition? Before(string column, DateTimeOffset? at) => at is { } t ? new($"{column} < $to", "$to", t.ToUnixTimeMilliseconds()) : null;

    /// <summary>The JSON rows of a table that meet every given condition (absent ones are skipped), in order.</summary>
    private IReadOnlyList<T> QueryJson<T>(string table, string orderBy, int limit, params Condition?[] conditions)
    {
        var where = conditions.OfType<Condition>().ToList();
        var sql = $"SELECT json FROM {table}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where.Select(c => c.Sql)) : "")
            + $" ORDER BY {orderBy} LIMIT $limit";
        var parameters = where.Where(c => c.Name is not null).Select(c => (c.Name!, c.Value)).Append(("$limit", (object?)limit)).ToArray();
        List<T> rows = [];
        using var connection = Reader();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), Json)!);
        }

        return rows;
    }

    /// <summary>One SQL condition with at most one parameter.</summary>
    private sealed record Condition(string Sql, string? Name = null, object? Value = null);

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Reader()
    {
        var connection = new SqliteConnection(_readers);
        connection.Open();
        return connection;
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters) => Command(_connection, sql, parameters);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
