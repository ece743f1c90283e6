using SafetyPatrol.Notifications;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Deliveries of notifications: written when created and after every attempt.</summary>
public interface INotificationStore
{
    /// <summary>Inserts or replaces the delivery (with the alert it is about).</summary>
    Task SaveDelivery(Delivery delivery);

    /// <summary>Deliveries newest first, without their alert.</summary>
    Task<IReadOnlyList<Delivery>> QueryDeliveries(DeliveryQuery query);

    /// <summary>Every delivery still pending, with its alert, oldest first: what a restart sends on.</summary>
    Task<IReadOnlyList<Delivery>> PendingDeliveries();
}
