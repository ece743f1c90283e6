using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace SafetyPatrol.Simulator.Clients;

/// <summary>A console on the SignalR hub that timestamps every event on arrival.</summary>
public sealed class ConsoleListener : IAsyncDisposable
{
    private static readonly string[] Events = ["alertRaised", "alertUpdated", "checkInRecorded", "deviceStatusChanged", "zoneChanged"];

    private readonly HubConnection _connection;

    private ConsoleListener(HubConnection connection) => _connection = connection;

    /// <summary>Raised on the SignalR thread with the event name, payload and arrival time.</summary>
    public event Action<string, JsonElement, DateTimeOffset>? Received;

    /// <summary>A console of every site the token's user sees, or with <paramref name="site"/> a console of that site alone (docs/interface.md §13).</summary>
    public static async Task<ConsoleListener> Connect(Uri baseUrl, string token, CancellationToken cancellationToken = default, string? site = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, site is null ? "/hubs/console" : $"/hubs/console?site={Uri.EscapeDataString(site)}"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect()
            .Build();
        var listener = new ConsoleListener(connection);
        foreach (var name in Events)
        {
            connection.On<JsonElement>(name, payload => listener.Received?.Invoke(name, payload, DateTimeOffset.UtcNow));
        }

        // A node failing over answers 503 for a few seconds: try again, as a console's browser would.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.StartAsync(cancellationToken);
                return listener;
            }
            catch (HttpRequestException ex) when (attempt < 30 && ex.StatusCode is null or >= System.Net.HttpStatusCode.InternalServerError)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
