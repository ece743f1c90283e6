using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>
/// Holds the cluster's agreed site text and its version; see <see cref="ISiteConfigGrain"/>. The text is kept
/// compressed, with its hash to tell a new one from the same: a district's folder of a thousand sites is a text of over
/// 50 MB, which a node reads once per version, not every time it asks which version is current.
/// </summary>
public sealed class SiteConfigGrain([PersistentState("site-config")] IPersistentState<SiteConfigState> state, SiteSource source) : Grain, ISiteConfigGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Kept as plain text by an earlier version: compressed once.
        if (state.State.Json is { } plain)
        {
            Keep(Encoding.UTF8.GetBytes(plain));
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<SiteProposal> Propose(string json, string file)
    {
        // The text kept already was valid when it was kept: only a new one is read (at 1,000 sites over a second).
        var bytes = Encoding.UTF8.GetBytes(json);
        if (Hash(bytes) == state.State.Hash)
        {
            return new SiteProposal(state.State.Version, false, []);
        }

        try
        {
            SiteLoader.ParseAll(bytes, file);
        }
        catch (SiteInvalidException ex)
        {
            return new SiteProposal(state.State.Version, false, ex.Problems);
        }

        state.State.Version++;
        Keep(bytes);
        await state.WriteStateAsync();
        return new SiteProposal(state.State.Version, true, []);
    }

    public async Task<SiteProposal> ReloadFromFile()
    {
        var path = source.Path;
        if (path is null || !(File.Exists(path) || Directory.Exists(path)))
        {
            return new SiteProposal(state.State.Version, false, [new SiteProblem(path ?? "(none)", "$", "the site file is not there")]);
        }

        // A folder's files are each checked under their own names before they are joined.
        try
        {
            return await Propose(SiteLoader.Read(path).Text, path);
        }
        catch (SiteInvalidException ex)
        {
            return new SiteProposal(state.State.Version, false, ex.Problems);
        }
    }

    public Task<SiteVersion> Get()
    {
        if (state.State.Compressed is not { } compressed)
        {
            return Task.FromResult(new SiteVersion(state.State.Version, null));
        }

        using var text = new StreamReader(new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress), Encoding.UTF8);
        return Task.FromResult(new SiteVersion(state.State.Version, text.ReadToEnd()));
    }

    public Task<int> Version() => Task.FromResult(state.State.Version);

    public Task<int?> VersionOf(string hash) => Task.FromResult(state.State.Hash == hash ? state.State.Version : (int?)null);

    /// <summary>The hash <see cref="VersionOf"/> compares: SHA-256 of the text's UTF-8, in hex.</summary>
    public static string HashOf(string json) => Hash(Encoding.UTF8.GetBytes(json));

    /// <summary>Keeps the text (UTF-8) compressed, with its hash, in place of any plain text.</summary>
    private void Keep(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zip.Write(bytes);
        }

        state.State.Compressed = compressed.ToArray();
        state.State.Hash = Hash(bytes);
        state.State.Json = null;
    }

    private static string Hash(byte[] text) => Convert.ToHexString(SHA256.HashData(text));
}

[GenerateSerializer]
public sealed class SiteConfigState
{
    [Id(0)] public int Version { get; set; }

    /// <summary>The text as an earlier version kept it; compressed into <see cref="Compressed"/> at activation.</summary>
    [Id(1)] public string? Json { get; set; }

    /// <summary>The text, UTF-8, gzip.</summary>
    [Id(2)] public byte[]? Compressed { get; set; }

    /// <summary>SHA-256 of the UTF-8 text.</summary>
    [Id(3)] public string? Hash { get; set; }
}
