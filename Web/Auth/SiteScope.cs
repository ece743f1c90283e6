using System.Security.Claims;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// Which sites a signed-in user sees, and which site anything is of (docs/interface.md §13). A user given sites
/// carries them as <see cref="Claim"/> claims, set from the account on every request; one given none sees every
/// site. What another site holds is answered 404, as if it were not there. The directory of which site each id is
/// of comes from the cluster once per site version (the console bridge says when a new one is applied).
/// </summary>
public sealed class SiteScope(IGrainFactory grains)
{
    public const string Claim = "site";

    /// <summary>The account's own sites, whatever site the page shows: what the page's site picker offers.</summary>
    public const string AccountClaim = "account-site";

    /// <summary>What a record whose place cannot be told is of, for a user of some sites: no site, so it is kept from them.</summary>
    public const string Nowhere = "";

    private Task<SiteDirectory>? _directory;

    public Task<SiteDirectory> Directory()
    {
        var current = Volatile.Read(ref _directory);
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            current = grains.GetGrain<ISiteGrain>(0).Directory();
            Volatile.Write(ref _directory, current);
        }

        return current;
    }

    /// <summary>A new site version was applied: the next question asks the cluster again.</summary>
    public void Changed() => Volatile.Write(ref _directory, null);

    /// <summary>The header a page showing one site sends with every call; the hub, which a browser cannot give headers, takes <c>?site=</c>.</summary>
    public const string ViewHeader = "X-Site";

    /// <summary>The one site a request is made for, if the page shows one.</summary>
    public static string? View(HttpRequest request) =>
        request.Headers[ViewHeader].ToString() is { Length: > 0 } header ? header
        : request.Path.StartsWithSegments("/hubs") && request.Query["site"].ToString() is { Length: > 0 } query ? query
        : null;

    /// <summary>
    /// The site claims of an account's <paramref name="sites"/> (none: every site) seen through a page of one site: only
    /// that site when the account sees it, no site at all when it does not.
    /// </summary>
    public static IEnumerable<string> Narrow(IReadOnlyList<string>? sites, string? view) =>
        view is null ? sites ?? []
        : sites is not { Count: > 0 } || sites.Contains(view) ? [view]
        : [Nowhere];

    /// <summary>The user's sites; null for every site.</summary>
    public static IReadOnlySet<string>? SitesOf(ClaimsPrincipal user)
    {
        var sites = user.FindAll(Claim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return sites.Count == 0 ? null : sites;
    }

    public static bool Sees(ClaimsPrincipal user, string siteId) => SitesOf(user) is not { } sites || sites.Contains(siteId);

    /// <summary>The site of the first id that names a place; the first site when none does (data from before there were several).</summary>
    public static string SiteOf(SiteDirectory directory, params ReadOnlySpan<string?> ids)
    {
        if (ids is [Nowhere])
        {
            return Nowhere;
        }

        foreach (var id in ids)
        {
            if (id is not null && directory.Owners.TryGetValue(id, out var site))
            {
                return site;
            }
        }

        return directory.Sites[0].Id;
    }

    /// <summary>Whether the user sees the place <paramref name="id"/>; an id of no site is left to the endpoint to answer.</summary>
    public async Task<bool> SeesPlace(ClaimsPrincipal user, string? id) =>
        id is null || SitesOf(user) is null || !(await Directory()).Owners.TryGetValue(id, out var site) || Sees(user, site);

    public async Task<string> SiteOf(Alert alert) =>
        alert.SiteId ?? SiteOf(await Directory(), alert.DeviceId, alert.CheckpointId, alert.RoomId, alert.BuildingId, alert.RouteId);

    public async Task<bool> Sees(ClaimsPrincipal user, Alert alert) => SitesOf(user) is null || Sees(user, await SiteOf(alert));

    /// <summary>The sites the user sees (on this page: the page's site alone), in site order.</summary>
    public async Task<IReadOnlyList<SiteSummary>> Visible(ClaimsPrincipal user) =>
        [.. (await Directory()).Sites.Where(s => Sees(user, s.Id))];

    /// <summary>The sites the account sees, whatever site the page shows, in site order.</summary>
    public async Task<IReadOnlyList<SiteSummary>> OfAccount(ClaimsPrincipal user)
    {
        var own = user.FindAll(AccountClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return [.. (await Directory()).Sites.Where(s => own.Count == 0 || own.Contains(s.Id))];
    }

    /// <summary>The site a request names, or else the first the user sees; null (the first site) for a user of every site.</summary>
    public async Task<string?> SiteFor(ClaimsPrincipal user, string? siteId) =>
        siteId ?? (SitesOf(user) is null ? null : (await Visible(user)).FirstOrDefault()?.Id ?? "");

    /// <summary>What of <paramref name="items"/> the user sees, by the places each names (<see cref="SiteOf(SiteDirectory, ReadOnlySpan{string?})"/>).</summary>
    public async Task<IReadOnlyList<T>> Keep<T>(ClaimsPrincipal user, IReadOnlyList<T> items, Func<T, string?[]> places)
    {
        if (SitesOf(user) is not { } sites)
        {
            return items;
        }

        var directory = await Directory();
        return [.. items.Where(item => sites.Contains(SiteOf(directory, places(item))))];
    }

    /// <summary>For a store query: the user's sites, or null for every site.</summary>
    public static IReadOnlyList<string>? Filter(ClaimsPrincipal user) => SitesOf(user) is { } sites ? [.. sites] : null;
}

/// <summary>
/// Answers 404 when the route's <c>id</c> (on endpoints of places: devices, checkpoints, rooms, buildings, zones) or
/// a <c>siteId</c>, <c>buildingId</c> or <c>roomId</c> in the query is of a site the user does not see.
/// </summary>
public sealed class PlaceInScope(bool routeIdIsPlace) : IEndpointFilter
{
    private static readonly string[] QueryPlaces = ["siteId", "buildingId", "roomId"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (SiteScope.SitesOf(http.User) is { } sites)
        {
            var scope = http.RequestServices.GetRequiredService<SiteScope>();
            IEnumerable<string?> ids = QueryPlaces.Select(q => (string?)http.Request.Query[q]);
            if (routeIdIsPlace)
            {
                ids = ids.Append(http.Request.RouteValues["id"] as string);
            }

            foreach (var id in ids.OfType<string>().Where(i => i.Length > 0))
            {
                // A site id is its own owner: one the user does not see is "not there" as well.
                if ((await scope.Directory()).Owners.GetValueOrDefault(id) is { } site && !sites.Contains(site))
                {
                    return Results.Problem($"No '{id}'.", statusCode: StatusCodes.Status404NotFound);
                }
            }
        }

        return await next(context);
    }
}

/// <summary>
/// For <c>/…/{id}</c> of a record (an alert, a ticket, a visitor): 404 when the places it names are of a site the
/// user does not see, as for a record that does not exist. <paramref name="places"/> loads the record's places, or
/// null when there is no such record (the endpoint answers that itself).
/// </summary>
public sealed class RecordInScope(Func<IGrainFactory, string, Task<string?[]?>> places) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (SiteScope.SitesOf(http.User) is { } sites && http.Request.RouteValues["id"] is string id
            && await places(http.RequestServices.GetRequiredService<IGrainFactory>(), id) is { } named
            && !sites.Contains(SiteScope.SiteOf(await http.RequestServices.GetRequiredService<SiteScope>().Directory(), named)))
        {
            return Results.Problem($"No '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        return await next(context);
    }
}

public static class SiteScopeExtensions
{
    /// <summary>A record of another site is answered 404 (see <see cref="RecordInScope"/>).</summary>
    public static TBuilder InScopeOf<TBuilder>(this TBuilder builder, Func<IGrainFactory, string, Task<string?[]?>> places)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilter(new RecordInScope(places));

    /// <summary>What is of another site is answered 404 (see <see cref="PlaceInScope"/>); <paramref name="routeIdIsPlace"/> for <c>/…/{id}</c> of a place.</summary>
    public static TBuilder InScope<TBuilder>(this TBuilder builder, bool routeIdIsPlace = false)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilter(new PlaceInScope(routeIdIsPlace));
}
