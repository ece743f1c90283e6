using System.Data.Common;
using Npgsql;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Silo.Storage;

/// <summary>
/// The cluster's store: PostgreSQL through a pooled Npgsql data source, shared by every node. The
/// schema is migrated at start (<see cref="Migrate"/>).
/// </summary>
public sealed class PostgresStore(NpgsqlDataSource source, StoreHealth health) : RelationalStore(health), IAsyncDisposable
{
    public override string Where => $"PostgreSQL at {source.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase)) ?? "?"}";

    /// <summary>
    /// Applies the migrations the database lacks, under an advisory lock held for the whole run, so
    /// nodes starting together apply each exactly once; returns how many this node applied.
    /// </summary>
    public async Task<int> Migrate(CancellationToken cancellationToken = default)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await Run(connection, $"SELECT pg_advisory_lock({PostgresSchema.LockKey})", cancellationToken);
        try
        {
            await Run(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            await using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
            var version = (int)(await current.ExecuteScalarAsync(cancellationToken))!;
            var applied = 0;
            for (var next = version + 1; next <= PostgresSchema.Migrations.Length; next++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Run(connection, PostgresSchema.Migrations[next - 1], cancellationToken);
                await Run(connection, $"INSERT INTO schema_migrations (version) VALUES ({next})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                applied++;
            }

            return applied;
        }
        finally
        {
            await Run(connection, $"SELECT pg_advisory_unlock({PostgresSchema.LockKey})", CancellationToken.None);
        }
    }

    protected override (string Least, string Greatest) MinMax => ("least", "greatest");

    public ValueTask DisposeAsync() => source.DisposeAsync();

    protected override async Task<DbConnection> OpenReader() => await source.OpenConnectionAsync();

    protected override async Task<T> ExecuteWrite<T>(string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run, bool background)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = Command(connection, sql, parameters);
        return await run(command);
    }

    private static async Task Run(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
