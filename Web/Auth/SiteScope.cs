using System.Security.Claims;
using SafetyPatrol.Alerts;
using SafetyPatrol.Grains;
using SafetyPatrol.Users;

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

    /// <summary>A role the user holds at one site in view, other than their account's: <c>site=role</c>.</summary>
    public const string RoleClaim = "site-role";

    /// <summary>The account's own role, for a user with roles per site: their role wherever no <see cref="RoleClaim"/> says otherwise.</summary>
    public const string AccountRoleClaim = "account-role";

    /// <summary>
    /// A site the user sees but may not do this at (their role there is not the endpoint's): what is of it answers 403,
    /// not 404 (see <see cref="NarrowToEndpoint"/>).
    /// </summary>
    public const string SeenClaim = "seen-site";

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

    /// <summary>
    /// Sets the claims of a request from the account as it is now: its sites seen through the page's
    /// <paramref name="view"/>, and its roles at them. A page of one site acts with the role held there; a page of several
    /// holds every role held at one of them, and each endpoint then keeps only the sites where that role may call it.
    /// </summary>
    public static void Apply(ClaimsIdentity identity, UserView user, string? view)
    {
        var sites = Narrow(user.Sites, view).ToList();
        identity.AddClaims(sites.Select(s => new Claim(Claim, s)));
        identity.AddClaims((user.Sites ?? []).Select(s => new Claim(AccountClaim, s)));
        if (user.SiteRoles is not { Count: > 0 } roles)
        {
            return;
        }

        var inView = roles.Where(r => view is null || r.Key == view).ToList();
        identity.AddClaim(new Claim(AccountRoleClaim, user.Role));
        identity.AddClaims(inView.Select(r => new Claim(RoleClaim, r.Key + "=" + r.Value)));
        if (view is not null && sites is [var one] && one != Nowhere)
        {
            foreach (var held in identity.FindAll(identity.RoleClaimType).ToList())
            {
                identity.RemoveClaim(held);
            }

            identity.AddClaim(new Claim(identity.RoleClaimType, user.RoleAt(one)));
            return;
        }

        foreach (var role in inView.Select(r => r.Value).Distinct().Where(r => !identity.HasClaim(identity.RoleClaimType, r)))
        {
            identity.AddClaim(new Claim(identity.RoleClaimType, role));
        }
    }

    /// <summary>The user's role at <paramref name="siteId"/>.</summary>
    public static string? RoleAt(ClaimsPrincipal user, string siteId)
    {
        var prefix = siteId + "=";
        return user.FindAll(RoleClaim).FirstOrDefault(c => c.Value.StartsWith(prefix, StringComparison.Ordinal))?.Value[prefix.Length..]
            ?? user.FindFirst(AccountRoleClaim)?.Value
            ?? user.FindFirst((user.Identity as ClaimsIdentity)?.RoleClaimType ?? "role")?.Value;
    }

    /// <summary>The user's role at the site of <paramref name="places"/> (<see cref="SiteOf(SiteDirectory, ReadOnlySpan{string?})"/>).</summary>
    public async Task<string?> RoleAtPlace(ClaimsPrincipal user, params string?[] places) =>
        RoleAt(user, user.HasClaim(c => c.Type == AccountRoleClaim) ? SiteOf(await Directory(), places) : Nowhere);

    /// <summary>Whether the user works the console (an operator or admin) at the site of <paramref name="places"/>.</summary>
    public async Task<bool> IsConsoleAt(ClaimsPrincipal user, params string?[] places) => await RoleAtPlace(user, places) is Roles.Operator or Roles.Admin;

    /// <summary>
    /// For a user with roles per site: the request's sites become those where the user's role may call this endpoint
    /// (<see cref="Policies.RolesOf"/>), so that every list, filter and store query after it keeps to them, as it keeps
    /// to the user's sites. The others stay seen (<see cref="SeenClaim"/>): what is of them answers 403.
    /// </summary>
    public static async Task NarrowToEndpoint(HttpContext http)
    {
        var user = http.User;
        if (!user.HasClaim(c => c.Type == RoleClaim) || user.Identity is not ClaimsIdentity identity || http.GetEndpoint() is not { } endpoint
            || Policies.RolesOf(endpoint.Metadata, http.RequestServices) is not { } allowed)
        {
            return;
        }

        IReadOnlyList<string> view = SitesOf(user) is { } given
            ? [.. given]
            : [.. (await http.RequestServices.GetRequiredService<SiteScope>().Directory()).Sites.Select(s => s.Id)];
        var acting = view.Where(s => RoleAt(user, s) is { } role && allowed.Contains(role)).ToList();
        if (acting.Count == view.Count)
        {
            return;
        }

        foreach (var site in identity.FindAll(Claim).ToList())
        {
            identity.RemoveClaim(site);
        }

        identity.AddClaims((acting.Count == 0 ? [Nowhere] : acting).Select(s => new Claim(Claim, s)));
        identity.AddClaims(view.Except(acting).Select(s => new Claim(SeenClaim, s)));
    }

    /// <summary>
    /// The answer for something of <paramref name="siteId"/> the user may not act on here: 403 when they see that site
    /// with another role, else <paramref name="notThere"/> (404: another site's ids are not there for them).
    /// </summary>
    public static IResult Refusal(ClaimsPrincipal user, string siteId, Func<IResult> notThere) =>
        user.HasClaim(SeenClaim, siteId)
            ? ApiProblem.Status(StatusCodes.Status403Forbidden, ProblemText.Of("roleAtSite", ("site", siteId), ("role", RoleAt(user, siteId))))
            : notThere();

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

    /// <summary>
    /// Null when the user may act on the place <paramref name="id"/> (an id of no site is left to the endpoint to
    /// answer); else 403 or <paramref name="notThere"/> (see <see cref="Refusal"/>).
    /// </summary>
    public async Task<IResult?> RefusePlace(ClaimsPrincipal user, string? id, Func<IResult> notThere) =>
        id is null || SitesOf(user) is null || !(await Directory()).Owners.TryGetValue(id, out var site) || Sees(user, site)
            ? null
            : Refusal(user, site, notThere);

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

    /// <summary>The first site: whose are the records written before there were several (a store query's <c>FirstSite</c>).</summary>
    public async Task<string> FirstSite() => (await Directory()).Sites[0].Id;
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
                    return SiteScope.Refusal(http.User, site, () => ApiProblem.NotFound("notThere", ("id", id)));
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
            && SiteScope.SiteOf(await http.RequestServices.GetRequiredService<SiteScope>().Directory(), named) is var site && !sites.Contains(site))
        {
            return SiteScope.Refusal(http.User, site, () => ApiProblem.NotFound("notThere", ("id", id)));
        }

        return await next(context);
    }
}

/// <summary>How an endpoint's <c>{id}</c> record names its places: what <see cref="RecordInScope"/> checks, and what the audit log files the call under.</summary>
public sealed record RecordPlaces(Func<IGrainFactory, string, Task<string?[]?>> Places);

public static class SiteScopeExtensions
{
    /// <summary>A record of another site is answered 404 (see <see cref="RecordInScope"/>).</summary>
    public static TBuilder InScopeOf<TBuilder>(this TBuilder builder, Func<IGrainFactory, string, Task<string?[]?>> places)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilter(new RecordInScope(places)).WithMetadata(new RecordPlaces(places));

    /// <summary>What is of another site is answered 404 (see <see cref="PlaceInScope"/>); <paramref name="routeIdIsPlace"/> for <c>/…/{id}</c> of a place.</summary>
    public static TBuilder InScope<TBuilder>(this TBuilder builder, bool routeIdIsPlace = false)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilter(new PlaceInScope(routeIdIsPlace));
}
