using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>
/// Sends notifications beside the alarm path (docs/interface.md §8). <see cref="Notify"/> only records and
/// queues; each delivery then runs on its own: a timeout (10 s), connection error or 5xx is tried
/// again with the same delivery id, the first retry within 5 s and each wait at most double the one
/// before, for up to an hour; a 4xx is not. Each channel sends at most four at once, so a dead channel
/// holds up nobody else. Pending deliveries are kept in the store under the silo sending them; what a
/// silo left pending (it restarted, or died in a cluster) is taken over and sent on by the next one.
/// </summary>
public sealed partial class NotificationSender(
    IOptions<NotifyOptions> options,
    INotificationStore store,
    IEnumerable<IChannelSender> senders,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    [FromKeyedServices(AppClock.Key)] TimeProvider time,
    ILogger<NotificationSender> logger) : BackgroundService, INotifier
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(1);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(10);

    private readonly Channel<Delivery> _queue = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perChannel = new();
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Type);
    private CancellationToken _stopping;

    private string Owner => silo.SiloAddress.ToParsableString();

    public void Notify(Alert alert, string notifyEvent, int route)
    {
        var now = time.GetUtcNow();
        foreach (var channel in options.Value.Routes[route].Channels)
        {
            var delivery = new Delivery(Guid.CreateVersion7(now).ToString(), alert.Id, channel, notifyEvent, route, Delivery.Pending, 0, null, now, null,
                alert with { History = null });
            _queue.Writer.TryWrite(delivery);
        }
    }

    /// <summary>
    /// Takes over the deliveries that silos no longer in the cluster left pending, and sends them on. Run at
    /// start (what this node left before a restart) and whenever a silo of the cluster dies.
    /// </summary>
    public async Task TakeOver()
    {
        var live = membership.CurrentSnapshot.Members.Values.Where(m => m.Status != SiloStatus.Dead)
            .Select(m => m.SiloAddress.ToParsableString()).Append(Owner).Distinct().ToList();
        try
        {
            var taken = await store.TakePendingDeliveries(Owner, live);
            foreach (var pending in taken)
            {
                _ = Deliver(pending, recorded: true, _stopping);
            }

            if (taken.Count > 0)
            {
                LogTakenOver(taken.Count);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // They stay pending in the store for the next take-over.
            LogNotTakenOver(ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;

        // Only once this silo is in the cluster does it know which owners are alive.
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            if (snapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active)
            {
                break;
            }
        }

        await TakeOver();

        await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _ = Deliver(delivery, recorded: false, stoppingToken);
        }
    }

    private async Task Deliver(Delivery delivery, bool recorded, CancellationToken stoppingToken)
    {
        try
        {
            if (!recorded)
            {
                await Record(delivery);
            }

            var wait = FirstRetry;
            var gate = _perChannel.GetOrAdd(delivery.Channel, _ => new SemaphoreSlim(4));
            while (!stoppingToken.IsCancellationRequested)
            {
                // The wait before a retry counts from when this attempt began, not from when its answer came.
                var attemptAt = time.GetUtcNow();
                SendResult result;
                await gate.WaitAsync(stoppingToken);
                try
                {
                    result = await Send(delivery, stoppingToken);
                }
                finally
                {
                    gate.Release();
                }

                var now = time.GetUtcNow();
                delivery = delivery with { Attempts = delivery.Attempts + 1, LastError = result.Error };
                if (result.Sent || !result.Retry || now - delivery.CreatedAt >= GiveUpAfter)
                {
                    delivery = delivery with { Status = result.Sent ? Delivery.Sent : Delivery.Failed, SentAt = result.Sent ? now : null };
                    await Record(delivery);
                    NotificationMetrics.Delivered(delivery.Status, delivery.Channel);
                    if (!result.Sent)
                    {
                        LogFailed(delivery.DeliveryId, delivery.Channel, delivery.AlertId, delivery.Attempts, result.Error);
                    }

                    return;
                }

                await Record(delivery);
                NotificationMetrics.Delivered("retrying", delivery.Channel);
                if (attemptAt + wait - time.GetUtcNow() is { Ticks: > 0 } left)
                {
                    await Task.Delay(left, time, stoppingToken);
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Still pending in the store: sent on after the restart.
        }
    }

    private async Task<SendResult> Send(Delivery delivery, CancellationToken stoppingToken)
    {
        if (!options.Value.Channels.TryGetValue(delivery.Channel, out var channel) || !_senders.TryGetValue(channel.Type, out var sender))
        {
            return SendResult.Fail($"No channel '{delivery.Channel}' in {NotifyOptions.Section}:Channels any more.");
        }

        try
        {
            return await sender.Send(channel, delivery, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A timeout, a refused connection, a reset: worth trying again.
            return SendResult.Again(ex is OperationCanceledException ? "timed out" : ex.Message);
        }
    }

    /// <summary>A store that cannot write now must not stop the sending: the delivery goes on in memory.</summary>
    private async Task Record(Delivery delivery)
    {
        try
        {
            await store.SaveDelivery(delivery, Owner);
        }
        catch (StoreUnavailableException ex)
        {
            LogNotRecorded(delivery.DeliveryId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {DeliveryId} to {Channel} about alert {AlertId} failed after {Attempts} attempts: {Error}")]
    private partial void LogFailed(string deliveryId, string channel, string alertId, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over {Count} pending notifications left by a silo that restarted or died")]
    private partial void LogTakenOver(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending notifications could not be taken over ({Reason}); they stay pending")]
    private partial void LogNotTakenOver(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {DeliveryId} could not be recorded ({Reason}); it is sent all the same")]
    private partial void LogNotRecorded(string deliveryId, string reason);
}
