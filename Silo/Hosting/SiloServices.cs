using SafetyPatrol.Grains.History;
using SafetyPatrol.Grains.Tickets;
using SafetyPatrol.Grains.Visitors;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Silo.Notifications;
using Orleans.Storage;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Alerts;
using SafetyPatrol.Grains.Patrols;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Grains.Site;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Silo.Hosting;

public static class SiloServices
{
    /// <summary>
    /// What every SafetyPatrol silo needs: the site, the application clock, the embedded store as
    /// grain storage and alert log, and the deadline scheduler. Used by the app and the test cluster.
    /// </summary>
    public static ISiloBuilder AddSafetyPatrol(this ISiloBuilder silo, SiteDefinition site, string dataDir) => silo.AddSafetyPatrol([site], dataDir);

    /// <summary>The same for a deployment of several sites (docs/interface.md §13).</summary>
    public static ISiloBuilder AddSafetyPatrol(this ISiloBuilder silo, IReadOnlyList<SiteDefinition> sites, string dataDir) =>
        silo.AddSafetyPatrol(sites, health => new SqliteStore(dataDir, health));

    /// <summary>The same with a store of the caller's choosing: PostgreSQL in cluster mode.</summary>
    public static ISiloBuilder AddSafetyPatrol(this ISiloBuilder silo, SiteDefinition site, Func<StoreHealth, RelationalStore> store) => silo.AddSafetyPatrol([site], store);

    public static ISiloBuilder AddSafetyPatrol(this ISiloBuilder silo, IReadOnlyList<SiteDefinition> sites, Func<StoreHealth, RelationalStore> store)
    {
        var services = silo.Services;
        services.AddKeyedSingleton(AppClock.Key, TimeProvider.System);
        services.AddSingleton(new SiteCatalog(sites));
        services.TryAddSingleton(new SiteSource(null));
        services.AddSingleton<StoreHealth>();
        services.AddSingleton(sp => store(sp.GetRequiredService<StoreHealth>()));
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<StoreWatch>();
        services.AddSingleton<IGrainStateStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IAlertStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<ISecretStore>(sp => sp.GetRequiredService<RelationalStore>());
        AddPaperwork(services);
        AddNotifications(services);
        services.AddSingleton(sp => new DeadlineScheduler(
            sp.GetRequiredKeyedService<TimeProvider>(AppClock.Key), sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<DeadlineScheduler>>()));
        // Started with the silo, so it knows since when this silo watches (rounds that ended before were not watched).
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DeadlineScheduler>());
        services.AddOptions<PatrolOptions>().BindConfiguration(PatrolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlarmHandlingMigration>();
        services.AddGrainStorage("Default", (sp, _) =>
            new StoreGrainStorage(sp.GetRequiredService<IGrainStateStore>(), sp.GetRequiredService<IGrainStorageSerializer>()));
        return silo;
    }

    /// <summary>Audit log, repair tickets, photos and reading history (docs/interface.md §10); visitors at the gate and their retention.</summary>
    private static void AddPaperwork(IServiceCollection services)
    {
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IPhotoStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IFloorPlanStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IComplianceStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddSingleton<IHistoryStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddOptions<TicketOptions>().BindConfiguration(TicketOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HistoryRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryRecorder>());
        services.AddSingleton<IVisitorStore>(sp => sp.GetRequiredService<RelationalStore>());
        services.AddOptions<VisitorOptions>().BindConfiguration(VisitorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VisitorRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<VisitorRetention>());
    }

    /// <summary>Notifications and escalation (docs/interface.md §8): the settings, the channels and the sender beside the alarm path.</summary>
    private static void AddNotifications(IServiceCollection services)
    {
        services.AddOptions<NotifyOptions>().BindConfiguration(NotifyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotifyOptions>, NotifyOptionsValidator>();
        services.AddHttpClient(ChannelHttp.Name, http => http.Timeout = ChannelHttp.Timeout);
        services.AddSingleton<AlertText>();
        services.AddSingleton<IChannelSender, WebhookSender>();
        services.AddSingleton<IChannelSender, WeComSender>();
        services.AddSingleton<IChannelSender, DingTalkSender>();
        services.AddSingleton<IChannelSender, FeishuSender>();
        services.AddSingleton<IChannelSender, EmailSender>();
        services.AddSingleton<NotificationSender>();
        services.AddSingleton<INotifier>(sp => sp.GetRequiredService<NotificationSender>());
        services.AddHostedService(sp => sp.GetRequiredService<NotificationSender>());
    }
}
