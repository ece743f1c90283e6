using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// The console's live channel (CONTRACT §6); the server only pushes. Operators and admins join the
/// console group and get the whole stream; officers and technicians get patrol events and what is theirs
/// (their check-ins, the repair tickets they reported or work).
/// </summary>
[Authorize]
public sealed class ConsoleHub(HubSessions sessions) : Hub
{
    public const string Path = "/hubs/console";
    public const string ConsoleGroup = "console";

    public override async Task OnConnectedAsync()
    {
        sessions.Add(Context);
        var console = Context.User?.IsInRole(Roles.Operator) == true || Context.User?.IsInRole(Roles.Admin) == true;
        await Groups.AddToGroupAsync(Context.ConnectionId, console ? ConsoleGroup : UserGroup(Context.User!.UserName()));
    }

    /// <summary>An officer's or technician's own connections (they are never in the console group, so nobody gets an event twice).</summary>
    public static string UserGroup(string username) => "user:" + username;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        return Task.CompletedTask;
    }
}
