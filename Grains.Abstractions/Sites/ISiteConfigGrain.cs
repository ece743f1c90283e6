namespace SafetyPatrol.Sites;

/// <summary>
/// The cluster's agreed site (docs/interface.md §12): its version and text. A node proposes the file it reads (at
/// start, when the file changes, on <c>POST /api/site/reload</c>); a valid text that differs becomes the next
/// version, and every node applies it. An invalid one changes nothing and says why.
/// </summary>
public interface ISiteConfigGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Validates <paramref name="json"/> (named <paramref name="file"/> in problems) and makes it the next version if it
    /// differs. When it is valid, the answer's version is the one whose text it is.
    /// </summary>
    Task<SiteProposal> Propose(string json, string file);

    /// <summary>Reads the site file of the silo this grain runs on and proposes it.</summary>
    Task<SiteProposal> ReloadFromFile();

    /// <summary>The current version; 0 and no text before the first proposal.</summary>
    Task<SiteVersion> Get();

    /// <summary>The current version number alone: what a node asks every second, fetching the text only when it is new.</summary>
    Task<int> Version();

    /// <summary>
    /// The current version when its text has this hash (SHA-256 of its UTF-8, in hex), else null: a node starting on the
    /// agreed text need not send it.
    /// </summary>
    Task<int?> VersionOf(string hash);
}

[GenerateSerializer, Immutable]
public sealed record SiteVersion(int Version, string? Json);

/// <summary>What a proposal did: the version now current, whether it made a new one, or the problems that refused it.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteProposal(int Version, bool Changed, IReadOnlyList<SiteProblem> Problems);
