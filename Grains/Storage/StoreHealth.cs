namespace SafetyPatrol.Grains.Storage;

/// <summary>
/// Whether the node can store what it takes, and if not, why: <c>/health</c> answers 503 with the
/// reason meanwhile. Stores report their write failures and successes; a watcher reports what it
/// checks on its own (free space, the data folder).
/// </summary>
public sealed class StoreHealth
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _problems = [];

    /// <summary>The first problem, or null when storage works.</summary>
    public string? Problem
    {
        get
        {
            lock (_gate)
            {
                return _problems.Count == 0 ? null : string.Join("; ", _problems.Values);
            }
        }
    }

    /// <summary>Sets or clears (null) the problem a given check found.</summary>
    public void Report(string check, string? problem)
    {
        lock (_gate)
        {
            if (problem is null)
            {
                _problems.Remove(check);
            }
            else
            {
                _problems[check] = problem;
            }
        }
    }
}

/// <summary>The store cannot take a write now; what was to be written is still in memory.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
