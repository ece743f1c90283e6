using Microsoft.AspNetCore.SignalR;
using SafetyPatrol.Push;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// Registers this web host with the cluster as a console observer and forwards what it is sent
/// to the SignalR clients connected here (the GPSTracker sample's shape).
/// </summary>
public sealed partial class ConsoleHubBridge(IGrainFactory grains, IHubContext<ConsoleHub> hub, ILogger<ConsoleHubBridge> logger)
    : BackgroundService, IConsoleObserver
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    private readonly string _hostId = Guid.NewGuid().ToString("N");

    public Task OnEvents(IReadOnlyList<ConsoleEvent> events)
    {
        foreach (var consoleEvent in events)
        {
            _ = hub.Clients.All.SendAsync(consoleEvent.Name, consoleEvent.Payload);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<IConsoleObserver>(this);
        var list = grains.GetGrain<IConsoleHubListGrain>(0);
        using var timer = new PeriodicTimer(RenewEvery);
        try
        {
            do
            {
                try
                {
                    await list.Register(_hostId, reference);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRegisterFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
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
