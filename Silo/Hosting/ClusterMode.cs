using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Web;
using StackExchange.Redis;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// Cluster mode (docs/interface.md §7): PostgreSQL holds grain state and the event log, Redis membership and
/// reminders, and every node is a whole system. The schema is migrated before the silo starts.
/// </summary>
public sealed class ClusterMode
{
    private readonly NpgsqlDataSource _database;
    private readonly ConfigurationOptions _redis;

    private ClusterMode(NpgsqlDataSource database, ConfigurationOptions redis) => (_database, _redis) = (database, redis);

    /// <summary>Cluster mode when <c>ConnectionStrings:SafetyPatrol</c> is set, else null (one node, embedded store).</summary>
    /// <exception cref="OptionsValidationException">A setting is missing or wrong, or PostgreSQL cannot be reached.</exception>
    public static ClusterMode? From(IConfiguration configuration, SafetyPatrolOptions settings)
    {
        var database = configuration.GetConnectionString("SafetyPatrol");
        if (string.IsNullOrWhiteSpace(database))
        {
            return null;
        }

        List<string> problems = [];
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            problems.Add("ConnectionStrings:Redis is not set: cluster mode (ConnectionStrings:SafetyPatrol) keeps membership and reminders in Redis.");
        }

        if (!IPAddress.TryParse(settings.AdvertisedAddress, out _))
        {
            problems.Add($"SafetyPatrol:AdvertisedAddress '{settings.AdvertisedAddress}' is not an IP address.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException("ConnectionStrings", typeof(SafetyPatrolOptions), problems);
        }

        var source = NpgsqlDataSource.Create(WithPoolLimit(database));
        try
        {
            new PostgresStore(source, new StoreHealth()).Migrate().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new OptionsValidationException("ConnectionStrings:SafetyPatrol", typeof(SafetyPatrolOptions),
                [$"ConnectionStrings:SafetyPatrol: cannot reach or migrate PostgreSQL ({ex.Message})."]);
        }

        return new ClusterMode(source, ConfigurationOptions.Parse(redis!));
    }

    /// <summary>
    /// Connections one node opens at most, unless the connection string says otherwise. PostgreSQL takes 100
    /// clients by default, and Npgsql would let each node open 100: a start-up sweep on two nodes ran out.
    /// Nodes × this must stay under the server's <c>max_connections</c>.
    /// </summary>
    public const int DefaultPoolSize = 20;

    private static string WithPoolLimit(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database);
        if (!database.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) && !database.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultPoolSize;
        }

        return builder.ConnectionString;
    }

    public RelationalStore Store(StoreHealth health) => new PostgresStore(_database, health);

    public void Configure(ISiloBuilder silo, SafetyPatrolOptions settings)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = _redis);
        silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);

        // A node that stops answering is declared dead within about ten seconds, so its grains come back on the
        // others soon. One vote suffices: a cluster of two, the usual campus pair, has only one survivor to vote.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 3;
            o.NumVotesForDeathDeclaration = 1;
        });
    }
}
