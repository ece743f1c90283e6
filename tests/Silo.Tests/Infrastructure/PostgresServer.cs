using System.Diagnostics;
using Npgsql;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server from Debian's packages on a free port, run as the postgres user
/// (the tests run as root, as CI does; .ci/run installs the package). Each test takes a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sp-pg-" + Guid.NewGuid().ToString("N"));
    private string _bin = "";

    public int Port { get; } = Ports.Free();

    public async Task InitializeAsync()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).OrderDescending().FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql (.ci/run does).");
        Directory.CreateDirectory(_folder);
        await Run("chown", "postgres:postgres", _folder);
        await AsPostgres(Path.Combine(_bin, "initdb"), "-D", _folder, "-A", "trust", "-U", "postgres", "--no-sync");
        await AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", _folder, "-o", $"-p {Port} -k {_folder} -h 127.0.0.1 -c fsync=off", "-w", "-l", Path.Combine(_folder, "log"), "start");
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> NewDatabase()
    {
        var name = "sp_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public async Task DisposeAsync()
    {
        await AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", _folder, "-m", "immediate", "stop");
        Directory.Delete(_folder, recursive: true);
    }

    private Task AsPostgres(string program, params string[] args) => Run("runuser", ["-u", "postgres", "--", program, .. args]);

    private static async Task Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}; the tests run as root, as CI does): {output}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
