namespace SafetyPatrol.Sites;

/// <summary>One reason a site file cannot be loaded, with the JSON path it concerns.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteProblem(string File, string Path, string Reason)
{
    public override string ToString() => $"{File}: {Path}: {Reason}";
}

/// <summary>Thrown when a site file does not validate; carries every problem found.</summary>
public sealed class SiteInvalidException(IReadOnlyList<SiteProblem> problems)
    : Exception($"The site definition is not valid ({problems.Count} problem(s)):" + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<SiteProblem> Problems { get; } = problems;
}
