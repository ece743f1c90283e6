using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains.Notifications;

/// <summary>
/// Hands alert events to the channels of a route. Returns at once: delivery, with its retries, runs
/// beside the alarm path, so a dead channel never slows an alert to the console.
/// </summary>
public interface INotifier
{
    void Notify(Alert alert, string notifyEvent, int route);
}
