namespace SafetyPatrol.Grains.Scheduling;

/// <summary>
/// A grain's handle on the <see cref="DeadlineScheduler"/>. It remembers the earliest wake-up asked
/// for, so asking again for a later time (a heartbeat pushed back by every reading) costs nothing;
/// the grain decides on waking what is really due and asks for the next one.
/// </summary>
public sealed class Wakeup(DeadlineScheduler scheduler, GrainId grain)
{
    private DateTimeOffset? _at;

    /// <summary>Makes sure the grain is woken at <paramref name="at"/> or earlier; null asks for nothing.</summary>
    public void NoLaterThan(DateTimeOffset? at)
    {
        if (at is { } wanted && (_at is null || wanted < _at))
        {
            _at = wanted;
            scheduler.Schedule(grain, wanted);
        }
    }

    /// <summary>Call first thing in <c>OnDeadline</c>: the wake-up asked for has happened.</summary>
    public void Woken() => _at = null;

    public void Cancel()
    {
        _at = null;
        scheduler.Cancel(grain);
    }

    /// <summary>
    /// Call from <c>OnDeactivateAsync</c>. A grain that chose to go (its id is not on the site), or
    /// whose silo stops or moves it, asks for nothing more. One the runtime took away (its directory
    /// entry died with another silo, it stopped answering) is woken again within a second, which
    /// activates it anew wherever it is placed, so it plans its deadlines again.
    /// </summary>
    public void Deactivated(DeactivationReason reason)
    {
        _at = null;
        if (reason.ReasonCode is DeactivationReasonCode.ApplicationRequested or DeactivationReasonCode.ShuttingDown
            or DeactivationReasonCode.Migrating or DeactivationReasonCode.DuplicateActivation)
        {
            scheduler.Cancel(grain);
        }
        else
        {
            scheduler.WakeSoon(grain);
        }
    }
}
