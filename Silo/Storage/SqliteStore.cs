using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The embedded store: one SQLite file in <c>DataDir</c>. WAL mode with synchronous=NORMAL survives a
/// killed process. Writes go to one connection on a thread of their own, since SQLite has a single writer
/// anyway: a caller awaits its write instead of holding a thread-pool thread while the disk works (a history
/// statement of 400 rows took ~50 ms here; blocked threads had held up every grain behind it). Writes that queue meanwhile
/// are committed together, each in a savepoint of its own, so one that fails fails alone; a background write
/// (reading history) is committed alone, so a write someone waits for (an alert's) waits for it at most, never
/// for a commit that holds it as well. Reads use pooled
/// connections of their own, which WAL lets run beside the writer. The database and its folder are this
/// user's only (0600, 0700).
/// </summary>
public sealed class SqliteStore : RelationalStore, IDisposable
{
    /// <summary>The database's name in the data folder.</summary>
    public const string FileName = "safetypatrol.db";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes committed together at most: a queue longer than this is taken in several transactions.</summary>
    private const int MostInOneCommit = 256;

    private readonly Lock _gate = new();
    private readonly string _readers;
    private readonly BlockingCollection<PendingWrite> _writes = [];
    private readonly Thread _writer;
    private SqliteConnection _connection;
    private int _disposed;

    public SqliteStore(string dataDir, StoreHealth health)
        : base(health)
    {
        Folder = System.IO.Path.GetFullPath(dataDir);
        Path = System.IO.Path.Combine(Folder, FileName);
        _readers = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        _connection = Open();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "SQLite writer" };
        _writer.Start();
    }

    public string Folder { get; }

    public string Path { get; }

    public override string Where => $"the database {Path}";

    protected override (string Least, string Greatest) MinMax => ("min", "max");

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

    public void Dispose()
    {
        // Once, whoever else disposes it too; what is queued is written first.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _writes.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(30));
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        _writes.Dispose();
    }

    protected override Task<DbConnection> OpenReader()
    {
        var connection = new SqliteConnection(_readers);
        connection.Open();
        return Task.FromResult<DbConnection>(connection);
    }

    protected override Task<T> ExecuteWrite<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run, bool background)
    {
        var write = new PendingWrite<T>(sql, parameters, run, background);
        try
        {
            _writes.Add(write);
        }
        catch (InvalidOperationException)
        {
            throw new StoreUnavailableException($"The database {Path} is closed (the node is stopping).");
        }

        return write.Done.Task;
    }

    private void WriteLoop()
    {
        List<PendingWrite> batch = [];
        PendingWrite? next = null;
        // Until the queue is closed and empty. A background write goes alone, and one met while taking others goes next.
        while (next is not null || _writes.TryTake(out next, Timeout.Infinite))
        {
            batch.Add(next);
            var alone = next.Background;
            next = null;
            while (!alone && batch.Count < MostInOneCommit && _writes.TryTake(out var more))
            {
                if (more.Background)
                {
                    next = more;
                    break;
                }

                batch.Add(more);
            }

            lock (_gate)
            {
                Commit(batch);
            }

            batch.Clear();
        }
    }

    /// <summary>Runs the writes in one transaction; each is answered once the commit is done (or has failed).</summary>
    private void Commit(List<PendingWrite> batch)
    {
        if (!File.Exists(Path))
        {
            var gone = new StoreUnavailableException($"The database {Path} is gone (was the data folder deleted?).");
            batch.ForEach(w => w.Fail(gone));
            return;
        }

        // A savepoint each when there are several, so a write that fails (a constraint, say) is undone alone.
        var savepoints = batch.Count > 1;
        List<PendingWrite> written = [];
        try
        {
            Run("BEGIN");
            foreach (var write in batch)
            {
                if (savepoints)
                {
                    Run("SAVEPOINT one");
                }

                try
                {
                    // SQLite's commands run synchronously whatever their name says.
                    write.Run(_connection);
                    written.Add(write);
                }
                catch (Exception ex) when (savepoints && ex is not OutOfMemoryException)
                {
                    Run("ROLLBACK TO one");
                    write.Fail(ex);
                }

                if (savepoints)
                {
                    Run("RELEASE one");
                }
            }

            Run("COMMIT");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TryRun("ROLLBACK");

            // Whatever has no answer yet failed with the transaction (a full disk fails the commit).
            batch.Where(w => !w.Answered).ToList().ForEach(w => w.Fail(ex));
            return;
        }

        written.ForEach(w => w.Succeed());
    }

    private void Run(string sql) => Execute(_connection, sql);

    private void TryRun(string sql)
    {
        try
        {
            Run(sql);
        }
        catch (SqliteException)
        {
            // No transaction was open (it failed to begin, or SQLite rolled it back itself).
        }
    }

    /// <summary>A write waiting for the writer thread.</summary>
    private abstract class PendingWrite(bool background)
    {
        public bool Background => background;

        public bool Answered { get; protected set; }

        public abstract void Run(SqliteConnection connection);

        public abstract void Succeed();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run, bool background)
        : PendingWrite(background)
    {
        private T? _result;

        // Its caller goes on on the thread pool, never on the writer's thread.
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(SqliteConnection connection)
        {
            using var command = Command(connection, sql, parameters);
            _result = run(command).GetAwaiter().GetResult();
        }

        public override void Succeed()
        {
            Answered = true;
            Done.TrySetResult(_result!);
        }

        public override void Fail(Exception error)
        {
            Answered = true;
            Done.TrySetException(error);
        }
    }

    /// <summary>Opens the writer connection, creating the folder (0700), the file (0600) and the tables where missing.</summary>
    private SqliteConnection Open()
    {
        PrivateFiles.CreateFolder(Folder);
        if (!OperatingSystem.IsWindows())
        {
            // SQLite gives its -wal and -shm files the permissions of the database file.
            PrivateFiles.CreateFile(Path);
            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" }.Where(File.Exists))
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var schema = Command(connection, SqliteSchema.Sql);
        schema.ExecuteNonQuery();

        // One write transaction from the first look at a table's columns to the last change: silos opening one database at
        // once (a test cluster on one data folder) would otherwise both see a column missing and both add it.
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            foreach (var column in SqliteSchema.AddedColumns)
            {
                // Databases of earlier versions lack columns added since; SQLite has no ADD COLUMN IF NOT EXISTS.
                using var has = Command(connection, "SELECT count(*) FROM pragma_table_info(@table) WHERE name = @column", ("@table", column.Table), ("@column", column.Name));
                if ((long)has.ExecuteScalar()! == 0)
                {
                    Execute(connection, $"ALTER TABLE {column.Table} ADD COLUMN {column.Name} {column.Type}");
                }
            }

            // Alerts saved before their severity had a column get it from their JSON, once: the store counts by the column alone.
            Execute(connection, "UPDATE alerts SET severity = json_extract(json, '$.severity') WHERE severity IS NULL");
            Execute(connection, "COMMIT");
        }
        catch
        {
            // Closing the connection rolls the transaction back.
            connection.Dispose();
            throw;
        }

        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
