using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Notifications;
using SafetyPatrol.Patrols;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The embedded store: one SQLite file in <c>DataDir</c> holding grain state and the alert log.
/// WAL mode with synchronous=NORMAL survives a killed process. Writes go through one connection
/// behind a lock, since SQLite has a single writer anyway; reads use pooled connections of their
/// own, which WAL lets run beside the writer, so grain activations do not queue behind writes.
/// </summary>
/// <remarks>
/// A write that fails (disk full, the file gone) is reported to <see cref="StoreHealth"/> and thrown as
/// <see cref="StoreUnavailableException"/>; callers keep what they could not write and try again.
/// The database and its folder are this user's only (0600, 0700).
/// </remarks>
public sealed class SqliteStore : IGrainStateStore, IAlertStore, ILedgerStore, INotificationStore, IDisposable
{
    private const string HealthCheck = "write";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly StoreHealth _health;
    private readonly string _readers;
    private SqliteConnection _connection;

    public SqliteStore(string dataDir, StoreHealth health)
    {
        _health = health;
        Folder = System.IO.Path.GetFullPath(dataDir);
        Path = System.IO.Path.Combine(Folder, "safetypatrol.db");
        _readers = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        _connection = Open();
    }

    public string Folder { get; }

    public string Path { get; }

    /// <summary>
    /// The database file is no longer where it was opened (the data folder was deleted while running):
    /// writes would go to a file nobody can read again. Starts a new one there and reports it.
    /// </summary>
    public bool Reopen()
    {
        lock (_gate)
        {
            if (File.Exists(Path))
            {
                return false;
            }

            _connection.Dispose();
            SqliteConnection.ClearAllPools();
            _connection = Open();
            return true;
        }
    }

    /// <summary>A write of one small row, to learn whether writing works.</summary>
    public void Probe() => Execute("INSERT OR REPLACE INTO health_probe (id, at) VALUES (1, $t)", ("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

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
        var bytes = data.ToArray();
        const string Insert = "INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ($s, $g, $e, $d, $t) ON CONFLICT DO NOTHING";

        var written = expectedEtag is null ? 0
            : Execute("UPDATE grain_state SET etag = $e, data = $d, updated_at = $t WHERE state_name = $s AND grain_id = $g AND etag = $old",
                ("$s", stateName), ("$g", grainId), ("$e", etag), ("$d", bytes), ("$t", now), ("$old", expectedEtag));

        // A new row; or one missing altogether, lost with a deleted database (see Reopen): the grain's state is written anew.
        if (written == 0)
        {
            written = Execute(Insert, ("$s", stateName), ("$g", grainId), ("$e", etag), ("$d", bytes), ("$t", now));
        }

        if (written != 1)
        {
            throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by someone else.", "unknown", expectedEtag ?? "none");
        }

        return Task.FromResult(etag);
    }

    public Task Clear(string stateName, string grainId, string? expectedEtag)
    {
        Execute("DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g", ("$s", stateName), ("$g", grainId));
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
        Execute("""
            INSERT INTO alerts (id, status, type, building_id, room_id, raised_at, json) VALUES ($id, $status, $type, $b, $r, $t, $json)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, json = excluded.json
            """,
            ("$id", alert.Id), ("$status", alert.Status), ("$type", alert.Type), ("$b", alert.BuildingId), ("$r", alert.RoomId),
            ("$t", alert.RaisedAt.ToUnixTimeMilliseconds()), ("$json", json));
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
        // Keyset paging: the page after a cursor starts below the (raised_at, id) it names, so a flood of new alerts does not shift it.
        var after = query.After is { } cursor
            ? new Condition("(raised_at < $ct OR (raised_at = $ct AND id < $cid))", ("$ct", cursor.RaisedAt.ToUnixTimeMilliseconds()), ("$cid", cursor.Id))
            : null;
        var alerts = QueryJson<Alert>("alerts", "raised_at DESC, id DESC", query.Limit,
            status, Is("building_id", query.BuildingId), Is("room_id", query.RoomId), Is("type", query.Type), after);
        return Task.FromResult<IReadOnlyList<Alert>>([.. alerts.Select(a => a with { History = null })]);
    }

    public Task SaveCheckIn(CheckIn checkIn)
    {
        Execute("INSERT INTO checkins (id, checkpoint_id, officer, at, json) VALUES ($id, $cp, $o, $at, $json)",
            ("$id", checkIn.Id), ("$cp", checkIn.CheckpointId), ("$o", checkIn.Officer), ("$at", checkIn.At.ToUnixTimeMilliseconds()),
            ("$json", JsonSerializer.Serialize(checkIn, Json)));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckIn>> QueryCheckIns(CheckInQuery query) => Task.FromResult(QueryJson<CheckIn>("checkins", "at DESC", query.Limit,
        Is("checkpoint_id", query.CheckpointId), Is("officer", query.Officer), From("at", query.From), Before("at", query.To)));

    public Task SaveRound(Round round)
    {
        Execute("INSERT INTO rounds (id, route_id, starts_at, json) VALUES ($id, $route, $t, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
            ("$id", round.Id), ("$route", round.RouteId), ("$t", round.StartsAt.ToUnixTimeMilliseconds()), ("$json", JsonSerializer.Serialize(round, Json)));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Round>> QueryRounds(RoundQuery query) => Task.FromResult(QueryJson<Round>("rounds", "starts_at DESC", query.Limit,
        Is("route_id", query.RouteId), From("starts_at", query.From), Before("starts_at", query.To)));

    public Task SaveDelivery(Delivery delivery)
    {
        Execute("""
            INSERT INTO notifications (id, alert_id, status, created_at, json, alert_json) VALUES ($id, $alert, $status, $t, $json, $alertJson)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, json = excluded.json
            """,
            ("$id", delivery.DeliveryId), ("$alert", delivery.AlertId), ("$status", delivery.Status), ("$t", delivery.CreatedAt.ToUnixTimeMilliseconds()),
            ("$json", JsonSerializer.Serialize(delivery, Json)), ("$alertJson", delivery.Alert is null ? null : JsonSerializer.Serialize(delivery.Alert, Json)));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Delivery>> QueryDeliveries(DeliveryQuery query) => Task.FromResult(QueryJson<Delivery>("notifications", "created_at DESC, id DESC", query.Limit,
        Is("alert_id", query.AlertId), Is("status", query.Status)));

    public Task<IReadOnlyList<Delivery>> PendingDeliveries()
    {
        List<Delivery> pending = [];
        using var connection = Reader();
        using var command = Command(connection, "SELECT json, alert_json FROM notifications WHERE status = 'pending' ORDER BY created_at");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var delivery = JsonSerializer.Deserialize<Delivery>(reader.GetString(0), Json)!;
            pending.Add(delivery with { Alert = reader.IsDBNull(1) ? null : JsonSerializer.Deserialize<Alert>(reader.GetString(1), Json) });
        }

        return Task.FromResult<IReadOnlyList<Delivery>>(pending);
    }

    public void Dispose()
    {
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private static Condition? Is(string column, string? value) => value is null ? null : new($"{column} = ${column}", ($"${column}", value));

    private static Condition? From(string column, DateTimeOffset? at) => at is { } f ? new($"{column} >= $from", ("$from", f.ToUnixTimeMilliseconds())) : null;

    private static Condition? Before(string column, DateTimeOffset? at) => at is { } t ? new($"{column} < $to", ("$to", t.ToUnixTimeMilliseconds())) : null;

    /// <summary>The JSON rows of a table that meet every given condition (absent ones are skipped), in order.</summary>
    private IReadOnlyList<T> QueryJson<T>(string table, string orderBy, int limit, params Condition?[] conditions)
    {
        var where = conditions.OfType<Condition>().ToList();
        var sql = $"SELECT json FROM {table}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where.Select(c => c.Sql)) : "")
            + $" ORDER BY {orderBy} LIMIT $limit";
        var parameters = where.SelectMany(c => c.Parameters).Append(("$limit", (object?)limit)).ToArray();
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

    /// <summary>One SQL condition and its parameters.</summary>
    private sealed record Condition(string Sql, params (string Name, object? Value)[] Parameters);

    /// <summary>One write through the writer connection; how it went is reported to the store's health.</summary>
    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            try
            {
                if (!File.Exists(Path))
                {
                    throw new StoreUnavailableException($"The database {Path} is gone (was the data folder deleted?).");
                }

                using var command = Command(_connection, sql, parameters);
                var rows = command.ExecuteNonQuery();
                _health.Report(HealthCheck, null);
                return rows;
            }
            catch (SqliteException ex)
            {
                var problem = $"Cannot write to {Path}: {ex.Message}";
                _health.Report(HealthCheck, problem);
                throw new StoreUnavailableException(problem, ex);
            }
            catch (StoreUnavailableException ex)
            {
                _health.Report(HealthCheck, ex.Message);
                throw;
            }
        }
    }

    /// <summary>Opens the writer connection, creating the folder (0700), the file (0600) and the tables where missing.</summary>
    private SqliteConnection Open()
    {
        KeyFile.CreatePrivateFolder(Folder);
        if (!OperatingSystem.IsWindows())
        {
            if (!File.Exists(Path))
            {
                // SQLite gives its -wal and -shm files the permissions of the database file.
                new FileStream(Path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }).Dispose();
            }

            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" }.Where(File.Exists))
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var schema = Command(connection, SqliteSchema.Sql);
        schema.ExecuteNonQuery();
        return connection;
    }

    private SqliteConnection Reader()
    {
        var connection = new SqliteConnection(_readers);
        connection.Open();
        return connection;
    }

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
