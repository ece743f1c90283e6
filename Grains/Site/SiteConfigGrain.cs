using System.Text;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Site;

/// <summary>Holds the cluster's agreed site text and its version; see <see cref="ISiteConfigGrain"/>.</summary>
public sealed class SiteConfigGrain([PersistentState("site-config")] IPersistentState<SiteConfigState> state, SiteSource source) : Grain, ISiteConfigGrain
{
    public async Task<SiteProposal> Propose(string json, string file)
    {
        try
        {
            SiteLoader.ParseAll(new MemoryStream(Encoding.UTF8.GetBytes(json)), file);
        }
        catch (SiteInvalidException ex)
        {
            return new SiteProposal(state.State.Version, false, ex.Problems);
        }

        if (json == state.State.Json)
        {
            return new SiteProposal(state.State.Version, false, []);
        }

        state.State.Version++;
        state.State.Json = json;
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

    public Task<SiteVersion> Get() => Task.FromResult(new SiteVersion(state.State.Version, state.State.Json));
}

[GenerateSerializer]
public sealed class SiteConfigState
{
    [Id(0)] public int Version { get; set; }
    [Id(1)] public string? Json { get; set; }
}
