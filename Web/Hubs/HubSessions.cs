using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace SafetyPatrol.Web.Hubs;

/// <summary>The hub connections on this web host, so a disabled user's can be ended at once and a new site joined.</summary>
public sealed class HubSessions
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();

    public void Add(HubCallerContext context) => _connections[context.ConnectionId] = context;

    public void Remove(HubCallerContext context) => _connections.TryRemove(context.ConnectionId, out _);

    /// <summary>The connections on this web host now.</summary>
    public IEnumerable<HubCallerContext> Connections => _connections.Values;

    /// <summary>Ends every connection of this user here; returns how many.</summary>
    public int End(string username)
    {
        var ended = 0;
        foreach (var context in _connections.Values.Where(c => string.Equals(c.User?.Identity?.Name, username, StringComparison.OrdinalIgnoreCase)))
        {
            context.Abort();
            ended++;
        }

        return ended;
    }
}
