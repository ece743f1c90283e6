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
                json        TEXT NOT NULL,
                site_id     TEXT);
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
            """ + Paperwork;

    /// <summary>Audit log, repair tickets, photos and reading history (docs/interface.md §10); visitors at the gate.</summary>
    private const string Paperwork = """
            CREATE TABLE IF NOT EXISTS audit (
                id       TEXT PRIMARY KEY,
                at       INTEGER NOT NULL,
                username TEXT NOT NULL,
                action   TEXT NOT NULL,
                json     TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at DESC);
            CREATE TABLE IF NOT EXISTS tickets (
                id         TEXT PRIMARY KEY,
                status     TEXT NOT NULL,
                assignee   TEXT,
                reporter   TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                json       TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS tickets_by_time ON tickets (created_at DESC);
            CREATE TABLE IF NOT EXISTS compliance (
                site_id TEXT NOT NULL,
                day     TEXT NOT NULL,
                on_time INTEGER NOT NULL,
                missed  INTEGER NOT NULL,
                PRIMARY KEY (site_id, day));
            CREATE TABLE IF NOT EXISTS floor_plans (
                building_id TEXT NOT NULL,
                floor       INTEGER NOT NULL,
                json        TEXT NOT NULL,
                image       BLOB NOT NULL,
                PRIMARY KEY (building_id, floor));
            CREATE TABLE IF NOT EXISTS photos (
                id           TEXT PRIMARY KEY,
                content_type TEXT NOT NULL,
                uploaded_by  TEXT NOT NULL,
                at           INTEGER NOT NULL,
                data         BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS history (
                device_id TEXT NOT NULL,
                metric    TEXT NOT NULL,
                at        INTEGER NOT NULL,
                min       REAL NOT NULL,
                max       REAL NOT NULL,
                sum       REAL NOT NULL,
                count     INTEGER NOT NULL,
                last      REAL NOT NULL,
                last_at   INTEGER NOT NULL,
                PRIMARY KEY (device_id, metric, at));
            CREATE INDEX IF NOT EXISTS history_by_time ON history (at);
            CREATE TABLE IF NOT EXISTS visitors (
                id          TEXT PRIMARY KEY,
                pass        TEXT NOT NULL,
                id_hash     TEXT NOT NULL,
                name        TEXT NOT NULL,
                phone       TEXT NOT NULL,
                arrived_at  INTEGER NOT NULL,
                departed_at INTEGER,
                json        TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS visitors_by_time ON visitors (arrived_at DESC);
            CREATE INDEX IF NOT EXISTS visitors_by_pass ON visitors (pass);
            CREATE INDEX IF NOT EXISTS visitors_by_hash ON visitors (id_hash);
            """;

    /// <summary>Columns added after tables were first shipped: added to an older database at open.</summary>
    public static readonly (string Table, string Name, string Type)[] AddedColumns = [("notifications", "owner", "TEXT"), ("alerts", "site_id", "TEXT"), ("alerts", "severity", "TEXT"), ("audit", "site_id", "TEXT"),
        ("checkins", "site_id", "TEXT"), ("rounds", "site_id", "TEXT"), ("tickets", "site_id", "TEXT"), ("visitors", "site_id", "TEXT")];
}
