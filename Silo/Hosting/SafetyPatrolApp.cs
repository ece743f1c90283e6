using OpenTelemetry.Trace;
using OpenTelemetry.Metrics;
using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Server;
using Orleans.Configuration;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Silo.Mqtt;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Sites;
using SafetyPatrol.Web;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// Builds the single-node SafetyPatrol process: an Orleans silo with the embedded store, the
/// MQTT listener and the web console in one host.
/// </summary>
public static class SafetyPatrolApp
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The device grain's class as Orleans' activation counts name it (<c>devicesHere</c> in <c>/api/stats</c>).</summary>
    private static readonly string DeviceGrainType = Orleans.Serialization.TypeSystem.RuntimeTypeNameFormatter.Format(typeof(SafetyPatrol.Grains.Devices.DeviceGrain));

    /// <exception cref="SiteInvalidException">The site file does not validate.</exception>
    /// <exception cref="OptionsValidationException">A setting is wrong.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // --demo is a bare switch; the command-line provider would take the next argument as its value.
        var demo = args.Contains("--demo");

        // The HTTP addresses become Kestrel endpoints of their own, beside MQTT's (AddMqtt). Handed to the host as "urls" too,
        // they made Kestrel warn at every start that it was overriding them: so they are taken from the arguments and the
        // environment before the host reads either, and from the settings (appsettings.json) once read.
        var hostArgs = args.Where(a => a != "--demo").ToList();
        var urls = TakeUrls(hostArgs);
        foreach (var variable in new[] { "ASPNETCORE_URLS", "DOTNET_URLS" })
        {
            urls ??= Environment.GetEnvironmentVariable(variable);
            Environment.SetEnvironmentVariable(variable, null);
        }

        // appsettings.json ships beside the binary; relative paths in settings (DataDir) stay relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. hostArgs],
            ContentRootPath = AppContext.BaseDirectory,
        });
        urls ??= builder.Configuration[WebHostDefaults.ServerUrlsKey];
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = "";
        if (demo)
        {
            builder.Configuration.AddInMemoryCollection([new($"{SafetyPatrolOptions.Section}:Demo", "true")]);
        }

        // Ports and the site are needed to build the host, so settings are read and checked here, once.
        var settings = SafetyPatrolOptions.Register(builder, SettingsUse.Node);

        var cluster = ClusterMode.From(builder.Configuration, settings);
        var files = SiteLoader.Read(settings.ResolveSiteFile());
        var sites = files.Sites;

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = "safetypatrol";
            });
            if (settings.Tracing.OtlpEndpoint is { Length: > 0 })
            {
                silo.AddActivityPropagation();
            }

            // The Orleans dashboard at /dashboard (admins only, docs/interface.md §12).
            silo.AddOrleansDashboard();

            // Every reading is a call whose caller waits for it anyway: checking each message's expiry cost 4.7 % of the CPU
            // in the profile of the first seconds after a start, and a reading that waited is still worth taking.
            silo.Configure<SiloMessagingOptions>(o => o.DropExpiredMessages = false);

            if (cluster is null)
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
                silo.AddSafetyPatrol(sites, settings.DataDir);
            }
            else
            {
                cluster.Configure(silo, settings);
                silo.AddSafetyPatrol(sites, cluster.Store);
            }
        });

        builder.Services.AddSingleton<SiteReadiness>();
        builder.Services.AddHostedService<SiteBootstrapper>();
        if (settings.FeedsDemoDevices)
        {
            builder.Services.AddSingleton<DemoFeed>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoFeed>());
        }

        builder.Services.AddSingleton(new SiteSource(settings.ResolveSiteFile(), files.Text));
        builder.Services.AddHostedService<SiteReloader>();
        builder.Services.AddHealthChecks().AddCheck<SiteReadiness>("site").AddCheck<StorageHealthCheck>("storage");

        AddMqtt(builder, settings, urls);

        // Metrics for Prometheus at /metrics (docs/interface.md §12): readings, drops, alerts, console push, notifications, Orleans, HTTP.
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("SafetyPatrol.*", "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        if (settings.Tracing.OtlpEndpoint is { Length: > 0 } collector)
        {
            // Off by default: traces of reading → device grain → alert grain → push, with Orleans' own spans for each grain call.
            telemetry.WithTracing(tracing => tracing
                .AddSource(Tracing.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.AspNetCore")
                .AddOtlpExporter(otlp => otlp.Endpoint = new Uri(collector)));
        }
        builder.AddSafetyPatrolWeb();
        configure?.Invoke(builder);

        // One node per embedded data folder: a second one would corrupt the database.
        var held = cluster is null ? DataDirLock.Acquire(settings.DataDir) : null;
        if (held is not null)
        {
            builder.Services.AddSingleton(held);
        }

        var app = builder.Build();
        if (held is not null)
        {
            app.Lifetime.ApplicationStopped.Register(held.Dispose);
        }

        if (settings.Metrics.Port is > 0 and var metricsPort)
        {
            // The metrics port answers /metrics and nothing else.
            app.Use((context, next) => context.Connection.LocalPort == metricsPort && !context.Request.Path.StartsWithSegments("/metrics")
                ? Results.NotFound().ExecuteAsync(context)
                : next());
        }

        app.MapSafetyPatrolWeb();
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: MetricsFromStart.Use, optionsName: null);
        if (settings.Metrics.Port > 0)
        {
            // Off the public port: only the metrics port answers /metrics.
            metrics.RequireHost($"*:{settings.Metrics.Port}");
        }

        app.MapGet("/api/stats", async (IngestionCounters counters, IGrainFactory grains, ILocalSiloDetails silo) =>
            {
                // A device's readings are calls within the node its grain lives on.
                var here = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
                return counters.Snapshot() with { DevicesHere = here.Where(s => s.GrainType == DeviceGrainType).Sum(s => s.ActivationCount) };
            })
            .WithSummary("Readings taken and dropped by this node since it started (with the reasons), connections refused or closed, and the device grains active on it")
            .RequireAuthorization(Policies.Reader);
        if (settings.Mqtt.Port > 0 || settings.Mqtt.TlsPort > 0)
        {
            app.UseMqttServer(server => app.Services.GetRequiredService<MqttIngestion>().Attach(server));
        }

        app.Lifetime.ApplicationStarted.Register(() => Banner.Print(app, settings, sites));
        return app;
    }

    /// <summary>Takes <c>--urls=…</c> or <c>--urls …</c> (any case) out of the arguments; the last one given counts.</summary>
    private static string? TakeUrls(List<string> args)
    {
        string? urls = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (!string.Equals(name, "--" + WebHostDefaults.ServerUrlsKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var inline = args[i].Contains('=');
            urls = inline ? args[i].Split('=', 2)[1] : i + 1 < args.Count ? args[i + 1] : null;
            args.RemoveRange(i, inline || i + 1 >= args.Count ? 1 : 2);
            i--;
        }

        return urls;
    }

    private static void AddMqtt(WebApplicationBuilder builder, SafetyPatrolOptions settings, string? urls)
    {
        builder.Services.AddSingleton<IngestionCounters>();
        builder.Services.AddSingleton<MqttIngestion>();
        builder.Services.AddSingleton(_ => new FeedPacer(TimeSpan.FromMilliseconds(settings.Mqtt.BatchMilliseconds), TimeProvider.System));
        builder.Services.AddSingleton<MqttConnectionGuard>();

        // Listing the MQTT endpoints makes Kestrel ignore Urls, so the HTTP endpoints are listed here too.
        var http = ListenAddresses.Parse(urls ?? DefaultUrls);
        var certificate = settings.Mqtt.TlsPort > 0 ? ListenAddresses.LoadCertificate(settings.Mqtt.Certificate) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            http.ListenOn(kestrel);
            if (settings.Metrics.Port > 0)
            {
                kestrel.Listen(IPAddress.Parse(settings.Metrics.Address), settings.Metrics.Port);
            }

            var address = IPAddress.Parse(settings.Mqtt.Address);
            var guard = kestrel.ApplicationServices.GetRequiredService<MqttConnectionGuard>();
            if (settings.Mqtt.Port > 0)
            {
                kestrel.Listen(address, settings.Mqtt.Port, listen => listen.Use(next => connection => guard.Handle(connection, next)).UseMqtt());
            }

            if (certificate is not null)
            {
                // TLS first; the guard then sees the decrypted MQTT bytes, as on the plain port.
                kestrel.Listen(address, settings.Mqtt.TlsPort, listen =>
                {
                    listen.UseHttps(certificate);
                    listen.Use(next => connection => guard.Handle(connection, next)).UseMqtt();
                });
            }
        });

        if (settings.Mqtt.Port > 0 || certificate is not null)
        {
            builder.Services.AddHostedMqttServer(mqtt => mqtt.WithoutDefaultEndpoint().WithPersistentSessions(false));
            builder.Services.AddMqttConnectionHandler();
            builder.Services.AddConnections();
        }
    }
}
