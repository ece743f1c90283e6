namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The cluster store's schema as numbered migrations. Each node applies the ones the database lacks
/// at start, under an advisory lock, so several nodes starting at once migrate it exactly once.
/// A migration once shipped is never changed; a change is a new one at the end.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key: "SPATROL" as a number.</summary>
    public const long LockKey = 0x5350_4154_524F_4C;

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE grain_state (
            state_name text NOT NULL,
            grain_id   text NOT NULL,
            etag       text NOT NULL,
            data       bytea NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (state_name, grain_id));
        CREATE TABLE alerts (
            id          text PRIMARY KEY,
            status      text NOT NULL,
            type        text NOT NULL,
            building_id text,
            room_id     text,
            raised_at   bigint NOT NULL,
            json        text NOT NULL);
        CREATE INDEX alerts_by_status ON alerts (status, raised_at DESC, id DESC);
        CREATE INDEX alerts_by_building ON alerts (building_id, status, raised_at DESC);
        CREATE INDEX alerts_by_room ON alerts (room_id, status);
        CREATE INDEX alerts_by_time ON alerts (raised_at DESC, id DESC);
        CREATE TABLE checkins (
            id            text PRIMARY KEY,
            checkpoint_id text NOT NULL,
            officer       text NOT NULL,
            at            bigint NOT NULL,
            json          text NOT NULL);
        CREATE INDEX checkins_by_time ON checkins (at DESC);
        CREATE INDEX checkins_by_checkpoint ON checkins (checkpoint_id, at DESC);
        CREATE TABLE rounds (
            id        text PRIMARY KEY,
            route_id  text NOT NULL,
            starts_at bigint NOT NULL,
            json      text NOT NULL);
        CREATE INDEX rounds_by_time ON rounds (starts_at DESC);
        CREATE TABLE notifications (
            id         text PRIMARY KEY,
            alert_id   text NOT NULL,
            status     text NOT NULL,
            created_at bigint NOT NULL,
            json       text NOT NULL,
            alert_json text);
        CREATE INDEX notifications_by_alert ON notifications (alert_id, created_at DESC);
        CREATE INDEX notifications_by_status ON notifications (status, created_at);
        CREATE TABLE health_probe (id int PRIMARY KEY, at bigint NOT NULL);
        """,
        """
        CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL);
        """,
        """
        ALTER TABLE notifications ADD COLUMN owner text;
        """,
        """
        CREATE TABLE audit (
            id       text PRIMARY KEY,
            at       bigint NOT NULL,
            username text NOT NULL,
            action   text NOT NULL,
            json     text NOT NULL);
        CREATE INDEX audit_by_time ON audit (at DESC);
        CREATE TABLE tickets (
            id         text PRIMARY KEY,
            status     text NOT NULL,
            assignee   text,
            reporter   text NOT NULL,
            created_at bigint NOT NULL,
            json       text NOT NULL);
        CREATE INDEX tickets_by_time ON tickets (created_at DESC);
        CREATE TABLE photos (
            id           text PRIMARY KEY,
            content_type text NOT NULL,
            uploaded_by  text NOT NULL,
            at           bigint NOT NULL,
            data         bytea NOT NULL);
        CREATE TABLE history (
            device_id text NOT NULL,
            metric    text NOT NULL,
            at        bigint NOT NULL,
            min       double precision NOT NULL,
            max       double precision NOT NULL,
            sum       double precision NOT NULL,
            count     bigint NOT NULL,
            last      double precision NOT NULL,
            last_at   bigint NOT NULL,
            PRIMARY KEY (device_id, metric, at));
        CREATE INDEX history_by_time ON history (at);
        """,
        """
        CREATE TABLE visitors (
            id          text PRIMARY KEY,
            pass        text NOT NULL,
            id_hash     text NOT NULL,
            name        text NOT NULL,
            phone       text NOT NULL,
            arrived_at  bigint NOT NULL,
            departed_at bigint,
            json        text NOT NULL);
        CREATE INDEX visitors_by_time ON visitors (arrived_at DESC);
        CREATE INDEX visitors_by_pass ON visitors (pass);
        CREATE INDEX visitors_by_hash ON visitors (id_hash);
        """,
        """
        ALTER TABLE alerts ADD COLUMN site_id text;
        """,
        """
        CREATE TABLE floor_plans (
            building_id text NOT NULL,
            floor       int NOT NULL,
            json        text NOT NULL,
            image       bytea NOT NULL,
            PRIMARY KEY (building_id, floor));
        """,
        """
        ALTER TABLE audit ADD COLUMN site_id text;
        """,
        """
        ALTER TABLE checkins ADD COLUMN site_id text;
        ALTER TABLE rounds ADD COLUMN site_id text;
        ALTER TABLE tickets ADD COLUMN site_id text;
        ALTER TABLE visitors ADD COLUMN site_id text;
        """,
        """
        ALTER TABLE alerts ADD COLUMN severity text;
        CREATE TABLE compliance (
            site_id text NOT NULL,
            day     text NOT NULL,
            on_time int NOT NULL,
            missed  int NOT NULL,
            PRIMARY KEY (site_id, day));
        """,
        """
        UPDATE alerts SET severity = json::jsonb ->> 'severity' WHERE severity IS NULL;
        """,
    ];
}
