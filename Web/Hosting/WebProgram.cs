using Orleans.Dashboard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace SafetyPatrol.Web.Hosting;

/// <summary>
/// The Web program run alone: an Orleans client of a running cluster that serves the HTTP API,
/// the hub and the pages. Not a top-level <c>Program</c>, since the Silo program hosts this project too.
/// </summary>
public static class WebProgram
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Urls"] = DefaultUrls,
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",

        // A failing check is answered on /health; the reason is logged where it arises, not at every poll.
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Critical",
    };

    public static async Task<int> Main(string[] args)
    {
        try
        {
            await Build(args).RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine("SafetyPatrol web front end cannot start: " + string.Join(Environment.NewLine + "  ", ex.Failures));
            return 2;
        }
    }

    /// <exception cref="OptionsValidationException">A setting is wrong.</exception>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Defaults below every other source, so appsettings, environment and command line still win.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });

        var settings = SafetyPatrolOptions.Register(builder, SettingsUse.FrontEnd);

        builder.UseOrleansClient(client =>
        {
            // Cluster mode: the silos' gateways are found in Redis, as the silos list themselves there.
            if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
            }
            else
            {
                client.UseStaticClustering(settings.GatewayEndPoints().ToArray());
            }

            client.Services.AddSingleton<IClientConnectionRetryFilter, RetryUntilTheClusterAnswers>();
            client.AddDashboard();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = "safetypatrol";
            });
        });
        builder.Services.AddHealthChecks().AddCheck<ClusterHealth>("cluster");
        builder.AddSafetyPatrolWeb();

        var app = builder.Build();
        app.MapSafetyPatrolWeb();
        app.Lifetime.ApplicationStarted.Register(() =>
            Console.WriteLine($"SafetyPatrol web front end is running: {string.Join(", ", app.Urls)} → cluster '{settings.ClusterId}' at {string.Join(", ", settings.GatewayEndPoints())}"));
        return app;
    }
}
