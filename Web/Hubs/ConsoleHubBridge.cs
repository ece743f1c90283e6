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
public sealed partial class ConsoleHubBridge(IGrainFactory grains, IHubContext<ConsoleHub> hub, HubSessions sessions, TimeProvider time, ILogger<ConsoleHubBridge> logger)
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
        foreach (var consoleEvent in events)
        {
            if (consoleEvent is { Name: ConsoleEvent.SessionsEnded, Payload: string username })
            {
                sessions.End(username);
                continue;
            }

            if (_recent.IsNew(consoleEvent))
            {
                _ = Audience(consoleEvent).SendAsync(consoleEvent.Name, consoleEvent.Payload);
                if (consoleEvent.Payload is SafetyPatrol.Alerts.Alert alert)
                {
                    ConsoleMetrics.Pushed(alert, time.GetUtcNow());
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Who may see an event: patrol progress goes to everyone, a check-in also to its officer, a ticket also to
    /// its reporter and assignee, the rest to the console only.
    /// </summary>
    private IClientProxy Audience(ConsoleEvent consoleEvent) => consoleEvent switch
    {
        { Name: ConsoleEvent.CheckpointStatusChanged or ConsoleEvent.RoundUpdated } => hub.Clients.All,
        { Payload: CheckIn checkIn } => hub.Clients.Groups(ConsoleHub.ConsoleGroup, ConsoleHub.UserGroup(checkIn.Officer)),
        { Payload: Ticket ticket } => hub.Clients.Groups([ConsoleHub.ConsoleGroup, ConsoleHub.UserGroup(ticket.Reporter), .. ticket.Assignee is { } a ? [ConsoleHub.UserGroup(a)] : Array.Empty<string>()]),
        _ => hub.Clients.Group(ConsoleHub.ConsoleGroup),
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the console with the cluster; retrying")]
    private partial void LogRegisterFailed(Exception ex);
}
