using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Hubs;

/// <summary>
/// The console's live channel (CONTRACT §6); the server only pushes. Operators and admins join the
/// console group and get the whole stream; officers get patrol events and their own check-ins.
/// </summary>
[Authorize]
public sealed class ConsoleHub(HubSessions sessions) : Hub
{
    public const string Path = "/hubs/console";
    public const string ConsoleGroup = "console";

    public override async Task OnConnectedAsync()
    {
        sessions.Add(Context);
        var officer = Context.User?.IsInRole(Roles.Officer) == true;
        await Groups.AddToGroupAsync(Context.ConnectionId, officer ? OfficerGroup(Context.User!.UserName()) : ConsoleGroup);
    }

    /// <summary>An officer's own connections (officers are never in the console group, so nobody gets an event twice).</summary>
    public static string OfficerGroup(string username) => "officer:" + username;

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        return Task.CompletedTask;
    }
}
