using SafetyPatrol.Notifications;

namespace SafetyPatrol.Grains.Storage;

/// <summary>Deliveries of notifications: written when created and after every attempt.</summary>
public interface INotificationStore
{
    /// <summary>Inserts or replaces the delivery (with the alert it is about), as sent by <paramref name="owner"/> (a silo).</summary>
    Task SaveDelivery(Delivery delivery, string owner);

    /// <summary>Deliveries newest first, without their alert.</summary>
    Task<IReadOnlyList<Delivery>> QueryDeliveries(DeliveryQuery query);

    /// <summary>
    /// Takes over every pending delivery whose owner is not among <paramref name="live"/> (it died, or this is a
    /// restart): they become <paramref name="owner"/>'s and are returned with their alert, oldest first. Two nodes
    /// taking over at once never get the same delivery.
    /// </summary>
    Task<IReadOnlyList<Delivery>> TakePendingDeliveries(string owner, IReadOnlyCollection<string> live);
}
