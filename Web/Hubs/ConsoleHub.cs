using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// The console's live channel (CONTRACT §6); the server only pushes. Operators and admins join the
/// console group and get the whole stream; officers and technicians get patrol events and what is theirs
/// (their check-ins, the repair tickets they reported or work). A user given sites (docs/interface.md §13)
/// joins each of their sites' groups instead of the deployment's, so an event reaches only its site's users:
/// the server sends it to those groups alone, and nothing is filtered in the browser.
/// </summary>
[Authorize]
public sealed class ConsoleHub(HubSessions sessions) : Hub
{
    public const string Path = "/hubs/console";
    public const string ConsoleGroup = "console";

    /// <summary>Everyone signed in who sees every site: patrol progress goes to them.</summary>
    public const string EveryoneGroup = "everyone";

    public override async Task OnConnectedAsync()
    {
        sessions.Add(Context);
        var user = Context.User!;
        var console = user.ReadsConsole();
        List<string> groups = [];
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

        foreach (var group in groups)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }
    }

    /// <summary>The console of one site: its operators and admins who do not see every site.</summary>
    public static string SiteConsoleGroup(string siteId) => ConsoleGroup + ":" + siteId;

    /// <summary>Everyone signed in at one site who does not see every site.</summary>
    public static string SiteEveryoneGroup(string siteId) => EveryoneGroup + ":" + siteId;

    /// <summary>An officer's or technician's own connections (they are never in the console group, so nobody gets an event twice).</summary>
    public static string UserGroup(string username) => "user:" + username;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        return Task.CompletedTask;
    }
}
