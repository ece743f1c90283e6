using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace SafetyPatrol.Web.Hubs;

/// <summary>The console's live channel (CONTRACT §6); the server only pushes.</summary>
[Authorize]
public sealed class ConsoleHub : Hub
{
    public const string Path = "/hubs/console";
}
