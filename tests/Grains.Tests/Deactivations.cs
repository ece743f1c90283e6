using System.Collections.Concurrent;

namespace SafetyPatrol.Grains.Tests;

/// <summary>
/// Tells a test when the runtime has finished deactivating a grain, as Orleans reports it to the observers of its
/// activation working set: a test that needs a grain gone awaits that instead of asking until it is.
/// </summary>
public sealed class Deactivations : IActivationWorkingSetObserver
{
    private readonly ConcurrentDictionary<GrainId, TaskCompletionSource> _awaited = new();

    /// <summary>Completes when the grain's current activation has deactivated; ask before making it go.</summary>
    public Task Of(GrainId grain) =>
        _awaited.GetOrAdd(grain, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void OnDeactivated(IActivationWorkingSetMember member)
    {
        if (member is IGrainContext activation && _awaited.TryRemove(activation.GrainId, out var gone))
        {
            gone.TrySetResult();
        }
    }
}
