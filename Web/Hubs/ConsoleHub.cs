using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using System.Security.Claims;
using SafetyPatrol.Grains;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// The console's live channel (docs/interface.md §6); the server only pushes. Operators and admins join the
/// console group and get the whole stream; officers and technicians get patrol events and what is theirs
/// (their check-ins, the repair tickets they reported or work). A user given sites (docs/interface.md §13)
/// joins each of their sites' groups instead of the deployment's, so an event reaches only its site's users:
/// the server sends it to those groups alone, and nothing is filtered in the browser.
/// </summary>
[Authorize]
public sealed class ConsoleHub(HubSessions sessions, SiteScope scope) : Hub
{
    public const string Path = "/hubs/console";
    public const string ConsoleGroup = "console";

    /// <summary>Everyone signed in who sees every site: patrol progress goes to them.</summary>
    public const string EveryoneGroup = "everyone";

    public override async Task OnConnectedAsync()
    {
        sessions.Add(Context);
        var user = Context.User!;
        // The deployment's sites are asked for only by those who join each by name.
        foreach (var group in GroupsOf(user, JoinsEachSite(user) ? await scope.Directory() : null))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }
    }

    /// <summary>The groups a connection of <paramref name="user"/> joins; <paramref name="directory"/>, the sites there are, is needed when it <see cref="JoinsEachSite"/>.</summary>
    public static List<string> GroupsOf(ClaimsPrincipal user, SiteDirectory? directory)
    {
        List<string> groups = [];
        if (HasSiteRoles(user))
        {
            // Roles per site (docs/interface.md §13): at each site the groups of the role held there, and what is the
            // user's own through groups of that site alone, so that no event reaches a connection twice.
            foreach (var site in SiteScope.SitesOf(user) ?? directory!.Sites.Select(s => s.Id))
            {
                groups.Add(SiteEveryoneGroup(site));
                groups.Add(Policies.ReadsConsole(SiteScope.RoleAt(user, site)) ? SiteConsoleGroup(site) : UserGroup(user.UserName(), site));
            }

            return groups;
        }

        var console = user.ReadsConsole();
        IEnumerable<string?> sites = SiteScope.SitesOf(user) is { } given ? given : [null];
        foreach (var site in sites)
        {
            groups.Add(site is null ? EveryoneGroup : SiteEveryoneGroup(site));
            if (console)
            {
                groups.Add(site is null ? ConsoleGroup : SiteConsoleGroup(site));
            }
        }

        if (!console)
        {
            groups.Add(UserGroup(user.UserName()));
        }

        return groups;
    }

    /// <summary>
    /// A user of every site with roles per site joins each site's groups by name: a site added later is joined when it
    /// comes (<see cref="ConsoleHubBridge"/>), where every other connection's groups stay as they are.
    /// </summary>
    public static bool JoinsEachSite(ClaimsPrincipal user) => HasSiteRoles(user) && SiteScope.SitesOf(user) is null;

    private static bool HasSiteRoles(ClaimsPrincipal user) => user.HasClaim(c => c.Type == SiteScope.RoleClaim);

    /// <summary>The console of one site: its operators and admins who do not see every site.</summary>
    public static string SiteConsoleGroup(string siteId) => ConsoleGroup + ":" + siteId;

    /// <summary>Everyone signed in at one site who does not see every site.</summary>
    public static string SiteEveryoneGroup(string siteId) => EveryoneGroup + ":" + siteId;

    /// <summary>An officer's or technician's own connections (they are never in the console group, so nobody gets an event twice).</summary>
    public static string UserGroup(string username) => "user:" + username;

    /// <summary>The own connections of a user with roles per site, at a site where they do not read the console.</summary>
    public static string UserGroup(string username, string siteId) => "user:" + username + ":" + siteId;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        return Task.CompletedTask;
    }
}
