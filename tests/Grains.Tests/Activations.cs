using System.Collections.Concurrent;

namespace SafetyPatrol.Grains.Tests;

/// <summary>
/// What the runtime reports to the observers of its activation working set, on every silo it is registered with: which
/// grains are active where, and when that changes. A test that needs a grain gone, or grains active, awaits that instead
/// of asking until it is so.
/// </summary>
public sealed class Activations : IActivationWorkingSetObserver
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _active = new();
    private readonly ConcurrentDictionary<GrainId, TaskCompletionSource> _awaited = new();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Each active grain and where its activation is; one on a silo killed stays listed until it is active elsewhere.</summary>
    public IReadOnlyDictionary<GrainId, GrainAddress> Active => _active;

    /// <summary>Completes when the grain's current activation has deactivated; ask before making it go.</summary>
    public Task Deactivated(GrainId grain) => _awaited.GetOrAdd(grain, _ => NewSignal()).Task;

    /// <summary>Completes at the next activation or deactivation; ask before looking at what is active.</summary>
    public Task Changed() => Volatile.Read(ref _changed).Task;

    public void OnAdded(IActivationWorkingSetMember member)
    {
        if (member is IGrainContext activation)
        {
            _active[activation.GrainId] = activation.Address;
            Signal();
        }
    }

    public void OnDeactivated(IActivationWorkingSetMember member)
    {
        if (member is not IGrainContext activation)
        {
            return;
        }

        // Only this activation's entry: the grain may already be active again elsewhere.
        _active.TryRemove(KeyValuePair.Create(activation.GrainId, activation.Address));
        if (_awaited.TryRemove(activation.GrainId, out var gone))
        {
            gone.TrySetResult();
        }

        Signal();
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
