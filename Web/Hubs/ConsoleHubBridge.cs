using SafetyPatrol.Web.Auth;
using SafetyPatrol.Grains;
using SafetyPatrol.Tickets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafetyPatrol.Patrols;
using SafetyPatrol.Push;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// Registers this web host with the cluster as a console observer and forwards what it is sent
/// to the SignalR clients connected here (the GPSTracker sample's shape).
/// </summary>
public sealed partial class ConsoleHubBridge(
    IGrainFactory grains, IHubContext<ConsoleHub> hub, HubSessions sessions, SiteScope scope, TimeProvider time, ILogger<ConsoleHubBridge> logger)
    : BackgroundService, IConsoleObserver, IHealthCheck
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly string _hostId = Guid.NewGuid().ToString("N");
    private readonly RecentEvents _recent = new();
    private volatile bool _registered;
    private long _registeredAt;

    /// <summary>
    /// Not ready until registered, and until every silo's push worker has let go of a list made
    /// before: a console connected earlier could miss events.
    /// </summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_registered && Environment.TickCount64 - Interlocked.Read(ref _registeredAt) > ConsolePush.ObserversCachedFor.TotalMilliseconds
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The console is not registered with the cluster yet."));

    public Task OnEvents(IReadOnlyList<ConsoleEvent> events)
    {
        // Which site an event is of comes from the directory, asked for once per site version.
        var directory = scope.Directory();
        return directory.IsCompletedSuccessfully ? Send(events, directory.Result) : SendWhenKnown(events, directory);
    }

    private async Task SendWhenKnown(IReadOnlyList<ConsoleEvent> events, Task<SiteDirectory> directory)
    {
        try
        {
            await Send(events, await directory);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoDirectory(ex, events.Count);
        }
    }

    private Task Send(IReadOnlyList<ConsoleEvent> events, SiteDirectory directory)
    {
        foreach (var consoleEvent in events)
        {
            if (consoleEvent is { Name: ConsoleEvent.SessionsEnded, Payload: string username })
            {
                sessions.End(username);
                continue;
            }

            if (consoleEvent.Name == ConsoleEvent.SiteChanged)
            {
                // The sites may be others now: connections that join each site by name join the new ones before being told.
                scope.Changed();
                if (_recent.IsNew(consoleEvent))
                {
                    _ = JoinNewSitesThenSend(consoleEvent);
                }

                continue;
            }

            if (_recent.IsNew(consoleEvent))
            {
                _ = Audience(consoleEvent, directory).SendAsync(consoleEvent.Name, consoleEvent.Payload);
                if (consoleEvent.Payload is SafetyPatrol.Alerts.Alert alert)
                {
                    ConsoleMetrics.Pushed(alert, time.GetUtcNow());
                }
            }
        }

        return Task.CompletedTask;
    }

    private async Task JoinNewSitesThenSend(ConsoleEvent siteChanged)
    {
        try
        {
            var directory = await scope.Directory();
            foreach (var connection in sessions.Connections.Where(c => c.User is { } user && ConsoleHub.JoinsEachSite(user)))
            {
                foreach (var group in ConsoleHub.GroupsOf(connection.User!, directory))
                {
                    await hub.Groups.AddToGroupAsync(connection.ConnectionId, group);
                }
            }

            await Audience(siteChanged, directory).SendAsync(siteChanged.Name, siteChanged.Payload);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoDirectory(ex, 1);
        }
    }

    /// <summary>
    /// Who may see an event: patrol progress goes to everyone, a check-in also to its officer, a ticket also to
    /// its reporter and assignee, the rest to the console only; each only to those who see every site and those
    /// of the event's site (docs/interface.md §13). An event of no site (a new site version, a node lost) goes to
    /// every console.
    /// </summary>
    private IClientProxy Audience(ConsoleEvent consoleEvent, SiteDirectory directory)
    {
        IEnumerable<string> sites = SiteOf(consoleEvent.Payload, directory) is { } site ? [site] : directory.Sites.Select(s => s.Id);
        string[] console = [ConsoleHub.ConsoleGroup, .. sites.Select(ConsoleHub.SiteConsoleGroup)];
        return consoleEvent switch
        {
            { Name: ConsoleEvent.CheckpointStatusChanged or ConsoleEvent.RoundUpdated } =>
                hub.Clients.Groups([ConsoleHub.EveryoneGroup, .. sites.Select(ConsoleHub.SiteEveryoneGroup)]),
            { Payload: CheckIn checkIn } => hub.Clients.Groups([.. console, .. Own(checkIn.Officer, sites)]),
            { Payload: Ticket ticket } => hub.Clients.Groups([.. console, .. Own(ticket.Reporter, sites), .. ticket.Assignee is { } a ? Own(a, sites) : []]),
            _ => hub.Clients.Groups(console),
        };
    }

    /// <summary>A user's own groups for an event of <paramref name="sites"/>: theirs, and theirs at each site (for a user with roles per site).</summary>
    private static IEnumerable<string> Own(string username, IEnumerable<string> sites) =>
        [ConsoleHub.UserGroup(username), .. sites.Select(s => ConsoleHub.UserGroup(username, s))];

    /// <summary>The site an event's payload is of, by the place it names; null for an event of no site.</summary>
    private static string? SiteOf(object payload, SiteDirectory directory) => payload switch
    {
        Alerts.Alert alert => alert.SiteId ?? SiteScope.SiteOf(directory, alert.DeviceId, alert.CheckpointId, alert.RoomId, alert.BuildingId, alert.RouteId),
        CheckIn checkIn => SiteScope.SiteOf(directory, checkIn.CheckpointId),
        CheckpointStatus checkpoint => SiteScope.SiteOf(directory, checkpoint.Id),
        Round round => SiteScope.SiteOf(directory, round.RouteId),
        Ticket ticket => SiteScope.SiteOf(directory, ticket.RoomId, ticket.BuildingId),
        Visitors.Visitor visitor => SiteScope.SiteOf(directory, visitor.HostRoomId),
        Security.ZoneStatus zone => SiteScope.SiteOf(directory, zone.Id),
        Devices.DeviceStatusChange device => SiteScope.SiteOf(directory, device.DeviceId),
        AlarmHandlingChange change => SiteScope.SiteOf(directory, change.Id),
        RoomTotals room => SiteScope.SiteOf(directory, room.RoomId),
        BuildingTotals building => SiteScope.SiteOf(directory, building.BuildingId),
        _ => null,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<IConsoleObserver>(this);
        var list = grains.GetGrain<IConsoleHubListGrain>(0);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await list.Register(_hostId, reference);
                    if (!_registered)
                    {
                        Interlocked.Exchange(ref _registeredAt, Environment.TickCount64);
                        _registered = true;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _registered = false;
                    LogRegisterFailed(ex);
                }

                // Renewed well within the list's expiry; a failed registration is tried again soon.
                await Task.Delay(_registered ? RenewEvery : RetryAfter, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            grains.DeleteObjectReference<IConsoleObserver>(reference);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} console event(s) not sent: the cluster did not say which sites they are of")]
    private partial void LogNoDirectory(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the console with the cluster; retrying")]
    private partial void LogRegisterFailed(Exception ex);
}
