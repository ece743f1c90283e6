using SafetyPatrol.Alerts;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// A source's current alert per condition: a repeat goes to the same alert until an operator
/// resolves it, then the next occurrence opens a new one. The map lives in the source's state.
/// </summary>
public sealed class AlertSlots(IGrainFactory grains, Dictionary<string, string> ids)
{
    /// <summary>Raises or repeats; returns true when a new alert id was assigned (the source should persist).</summary>
    public async Task<bool> Raise(string key, AlertSpec spec, DateTimeOffset at)
    {
        if (ids.TryGetValue(key, out var id) && await grains.GetGrain<IAlertGrain>(id).Occur(spec, at))
        {
            return false;
        }

        id = Guid.CreateVersion7(at).ToString();
        ids[key] = id;
        await grains.GetGrain<IAlertGrain>(id).Occur(spec, at);
        return true;
    }

    /// <summary>
    /// The latest value of a condition that still holds (see <see cref="IAlertGrain.Update"/>); when its alert
    /// was resolved meanwhile, the condition holding is a new alert. Returns true when a new id was assigned.
    /// </summary>
    public async Task<bool> Update(string key, AlertSpec spec, bool messageStands, DateTimeOffset at)
    {
        if (ids.TryGetValue(key, out var id) && await grains.GetGrain<IAlertGrain>(id).Update(spec.Value, messageStands ? spec.Message : null, spec.MessageArgs, at))
        {
            return false;
        }

        return await Raise(key, spec, at);
    }

    public Task Clear(string key, DateTimeOffset at) =>
        ids.TryGetValue(key, out var id) ? grains.GetGrain<IAlertGrain>(id).Clear(at) : Task.CompletedTask;
}
