namespace SafetyPatrol.Grains.Site;

/// <summary>
/// Where this silo reads its site file (<c>SafetyPatrol:SiteFile</c>); none for a test cluster given its site directly.
/// Also the text the node read at start, until its start proposes it to the cluster (<see cref="TakeStartText"/>).
/// </summary>
public sealed class SiteSource(string? path, string? startText = null)
{
    private string? _startText = startText;

    public string? Path => path;

    /// <summary>The text read at start, once: held no longer than the start needs it (at 1,000 sites, 96 MB).</summary>
    public string? TakeStartText() => Interlocked.Exchange(ref _startText, null);
}
