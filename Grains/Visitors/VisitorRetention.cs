using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Visitors;

/// <summary>Deletes visits <see cref="VisitorOptions.RetentionDays"/> after the visitor left, every hour on every node (the delete is idempotent).</summary>
public sealed partial class VisitorRetention(
    IVisitorStore store,
    IOptions<VisitorOptions> options,
    [FromKeyedServices(AppClock.Key)] TimeProvider clock,
    ILogger<VisitorRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    /// <summary>Deletes what is past the retention now; returns how many visits.</summary>
    public Task<int> Prune() => store.PruneVisitors(clock.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                if (await Prune() is > 0 and var deleted)
                {
                    LogPruned(deleted, options.Value.RetentionDays);
                }
            }
            catch (StoreUnavailableException)
            {
                // Tried again within the hour.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} visits that ended more than {Days} days ago")]
    private partial void LogPruned(int count, int days);
}
