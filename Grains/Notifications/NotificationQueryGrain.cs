using SafetyPatrol.Grains.Storage;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Grains.Notifications;

[StatelessWorker]
public sealed class NotificationQueryGrain(INotificationStore store) : Grain, INotificationQueryGrain
{
    public Task<IReadOnlyList<Delivery>> Query(DeliveryQuery query) => store.QueryDeliveries(query);
}
