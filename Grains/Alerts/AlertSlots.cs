using SafetyPatrol.Alerts;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Alerts;

/// <summary>
/// A source's current alert per condition: a repeat goes to the same alert until an operator
/// resolves it, then the next occurrence opens a new one. The map lives in the source's state.
/// </summary>
/// <remarks>
/// A new alert's id is written with the source's state before the alert is raised: a source whose silo dies
/// between the two, and that is told the same condition again on another silo, raises that same alert rather
/// than a second one.
/// </remarks>
public sealed class AlertSlots(IGrainFactory grains, Dictionary<string, string> ids, Func<Task> remember)
{
    /// <summary>Writes a source's state for <see cref="AlertSlots"/>; a store that cannot take it does not hold up the alarm.</summary>
    public static Func<Task> Remember(Orleans.Core.IStorage state) => async () =>
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex) when (ex is StoreUnavailableException || ex.InnerException is StoreUnavailableException)
        {
            // The alarm goes out all the same; the source writes its state again with its next change.
        }
    };

    /// <summary>Raises or repeats; returns true when a new alert id was assigned.</summary>
    public async Task<bool> Raise(string key, AlertSpec spec, DateTimeOffset at)
    {
        if (ids.TryGetValue(key, out var id) && await grains.GetGrain<IAlertGrain>(id).Occur(spec, at))
        {
            return false;
        }

        id = Guid.CreateVersion7(at).ToString();
        ids[key] = id;
        await remember();
        await grains.GetGrain<IAlertGrain>(id).Occur(spec, at);
        return true;
    }

    /// <summary>
    /// The latest value of a condition that still holds (see <see cref="IAlertGrain.Update"/>); when its alert
    /// was resolved meanwhile, the condition holding is a new alert. Returns true when a new id was assigned.
    /// </summary>
    public async Task<bool> Update(string key, AlertSpec spec, bool messageStands, bool returned, DateTimeOffset at)
    {
        if (ids.TryGetValue(key, out var id) && await grains.GetGrain<IAlertGrain>(id).Update(spec.Value, messageStands ? spec.Message : null, spec.MessageArgs, returned, at))
        {
            return false;
        }

        return await Raise(key, spec, at);
    }

    public Task Clear(string key, DateTimeOffset at) =>
        ids.TryGetValue(key, out var id) ? grains.GetGrain<IAlertGrain>(id).Clear(at) : Task.CompletedTask;
}
