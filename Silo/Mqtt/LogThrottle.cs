namespace SafetyPatrol.Silo.Mqtt;

/// <summary>
/// For what clients can repeat at will (refused sign-ins, bad payloads): the first line is written,
/// then at most one per period, carrying how many were left out in between.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan period)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private long _skipped;

    /// <summary>True when a line may be written now; <paramref name="skipped"/> is how many were not since the last one.</summary>
    public bool TryEnter(out long skipped)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (now < _next)
            {
                _skipped++;
                skipped = 0;
                return false;
            }

            _next = now + period;
            skipped = _skipped;
            _skipped = 0;
            return true;
        }
    }
}
