using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// <c>backup --to FILE</c> and <c>restore --from FILE</c> of the embedded store (docs/interface.md §12). A backup runs
/// while the node runs (SQLite's online backup: a consistent copy, taking no lock the node waits on). A
/// restore needs the node stopped, checks the backup first, and keeps the database it replaces beside it.
/// The data folder is found as the node finds it (<c>SafetyPatrol:DataDir</c> in settings, environment or
/// command line).
/// </summary>
public static class StoreCommands
{
    private static readonly string[] Tables = ["grain_state", "alerts", "checkins"];

    /// <summary>Runs the command named first in <paramref name="args"/>; false when it names none.</summary>
    public static bool TryRun(string[] args, TextWriter output, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || args[0] is not ("backup" or "restore"))
        {
            return false;
        }

        var verb = args[0];
        var fileOption = verb == "backup" ? "--to" : "--from";
        var at = Array.IndexOf(args, fileOption);
        if (at < 0 || at + 1 >= args.Length)
        {
            output.WriteLine($"Usage: SafetyPatrol.Silo {verb} {fileOption} FILE [--SafetyPatrol:DataDir=DIR]");
            exitCode = 2;
            return true;
        }

        var file = Path.GetFullPath(args[at + 1]);
        var settings = SafetyPatrolOptions.Load(new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. args.Where((_, i) => i != 0 && i != at && i != at + 1)])
            .Build(), SettingsUse.Tool);
        var database = Path.GetFullPath(Path.Combine(settings.DataDir, SqliteStore.FileName));
        try
        {
            exitCode = verb == "backup" ? Backup(database, file, output) : Restore(database, settings.DataDir, file, output);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"{verb} failed: {ex.Message}");
            exitCode = 1;
        }

        return true;
    }

    private static int Backup(string database, string file, TextWriter output)
    {
        if (!File.Exists(database))
        {
            output.WriteLine($"No database at {database}: is SafetyPatrol:DataDir right?");
            return 1;
        }

        if (File.Exists(file))
        {
            output.WriteLine($"{file} exists already; name a new file (a backup never overwrites one).");
            return 1;
        }

        output.WriteLine($"Backing up {database} ({Size(database)}) to {file} …");
        var took = Copy(database, file);
        output.WriteLine($"Done in {took.TotalSeconds:0.0} s: {file} ({Size(file)}). Restore it with: restore --from {file}");
        return 0;
    }

    private static int Restore(string database, string dataDir, string file, TextWriter output)
    {
        if (!File.Exists(file))
        {
            output.WriteLine($"No backup at {file}.");
            return 1;
        }

        output.WriteLine($"Checking {file} ({Size(file)}) …");
        using (var backup = Open(file, SqliteOpenMode.ReadOnly))
        {
            using var check = backup.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var integrity = (string?)check.ExecuteScalar();
            check.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({string.Join(", ", Tables.Select(t => $"'{t}'"))})";
            if (integrity != "ok" || (long)check.ExecuteScalar()! != Tables.Length)
            {
                output.WriteLine($"{file} is not a sound SafetyPatrol backup ({(integrity == "ok" ? "its tables are missing" : integrity)}); nothing was changed.");
                return 1;
            }
        }

        using var held = DataDirLock.TryAcquire(dataDir);
        if (held is null)
        {
            output.WriteLine($"A SafetyPatrol node is running on {Path.GetFullPath(dataDir)}: stop it first; nothing was changed.");
            return 1;
        }

        // What is replaced is kept, so a restore of the wrong file can be undone.
        var kept = Path.Combine(Path.GetFullPath(dataDir), $"before-restore-{DateTime.UtcNow:yyyyMMddHHmmss}");
        if (File.Exists(database))
        {
            Directory.CreateDirectory(kept);
            foreach (var part in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
            {
                File.Move(part, Path.Combine(kept, Path.GetFileName(part)));
            }
        }

        var took = Copy(file, database);
        output.WriteLine($"Restored {database} from {file} in {took.TotalSeconds:0.0} s."
            + (Directory.Exists(kept) ? $" The database it replaced is in {kept}." : ""));
        return 0;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>SQLite's online backup of one database into another, made readable by this user only (0600) as the node's own is.</summary>
    private static TimeSpan Copy(string from, string to)
    {
        var clock = Stopwatch.StartNew();
        PrivateFiles.CreateFile(to);
        using (var source = Open(from, SqliteOpenMode.ReadOnly))
        using (var target = Open(to, SqliteOpenMode.ReadWriteCreate))
        {
            source.BackupDatabase(target);
        }

        SqliteConnection.ClearAllPools();
        return clock.Elapsed;
    }

    /// <summary>The database's size, its write-ahead log included (a running node keeps recent writes there).</summary>
    private static string Size(string path) =>
        $"{(new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0)) / 1048576.0:0.0} MiB";
}
