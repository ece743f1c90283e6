using System.Data.Common;
using Microsoft.Data.Sqlite;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The embedded store: one SQLite file in <c>DataDir</c>. WAL mode with synchronous=NORMAL survives a
/// killed process. Writes go through one connection behind a lock, since SQLite has a single writer
/// anyway; reads use pooled connections of their own, which WAL lets run beside the writer. The
/// database and its folder are this user's only (0600, 0700).
/// </summary>
public sealed class SqliteStore : RelationalStore, IDisposable
{
    /// <summary>The database's name in the data folder.</summary>
    public const string FileName = "safetypatrol.db";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock _gate = new();
    private readonly string _readers;
    private SqliteConnection _connection;

    public SqliteStore(string dataDir, StoreHealth health)
        : base(health)
    {
        Folder = System.IO.Path.GetFullPath(dataDir);
        Path = System.IO.Path.Combine(Folder, FileName);
        _readers = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        _connection = Open();
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
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
    }

    protected override Task<DbConnection> OpenReader()
    {
        var connection = new SqliteConnection(_readers);
        connection.Open();
        return Task.FromResult<DbConnection>(connection);
    }

    protected override Task<T> ExecuteWrite<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run)
    {
        lock (_gate)
        {
            if (!File.Exists(Path))
            {
                throw new StoreUnavailableException($"The database {Path} is gone (was the data folder deleted?).");
            }

            // SQLite's commands run synchronously whatever their name says, so the writer is held only while this one runs.
            using var command = Command(_connection, sql, parameters);
            return Task.FromResult(run(command).GetAwaiter().GetResult());
        }
    }

    /// <summary>Opens the writer connection, creating the folder (0700), the file (0600) and the tables where missing.</summary>
    private SqliteConnection Open()
    {
        KeyFile.CreatePrivateFolder(Folder);
        if (!OperatingSystem.IsWindows())
        {
            // SQLite gives its -wal and -shm files the permissions of the database file.
            KeyFile.CreatePrivateFile(Path);
            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" }.Where(File.Exists))
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var schema = Command(connection, SqliteSchema.Sql);
        schema.ExecuteNonQuery();
        foreach (var column in SqliteSchema.AddedColumns)
        {
            // Databases of earlier versions lack columns added since; SQLite has no ADD COLUMN IF NOT EXISTS.
            using var has = Command(connection, "SELECT count(*) FROM pragma_table_info(@table) WHERE name = @column", ("@table", column.Table), ("@column", column.Name));
            if ((long)has.ExecuteScalar()! == 0)
            {
                using var add = Command(connection, $"ALTER TABLE {column.Table} ADD COLUMN {column.Name} {column.Type}");
                add.ExecuteNonQuery();
            }
        }

        return connection;
    }
}
