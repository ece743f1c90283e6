namespace SafetyPatrol.Silo.Storage;

/// <summary>The embedded store's tables, created where missing at every open.</summary>
internal static class SqliteSchema
{
    public const string Sql = """
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
            CREATE TABLE IF NOT EXISTS notifications (
                id         TEXT PRIMARY KEY,
                alert_id   TEXT NOT NULL,
                status     TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                json       TEXT NOT NULL,
                alert_json TEXT,
                owner      TEXT);
            CREATE INDEX IF NOT EXISTS notifications_by_alert ON notifications (alert_id, created_at DESC);
            CREATE INDEX IF NOT EXISTS notifications_by_status ON notifications (status, created_at);
            CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """;

    /// <summary>Columns added after tables were first shipped: added to an older database at open.</summary>
    public static readonly (string Table, string Name, string Type)[] AddedColumns = [("notifications", "owner", "TEXT")];
}
