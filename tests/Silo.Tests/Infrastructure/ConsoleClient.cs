using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A console on the SignalR hub that records every event it is sent.</summary>
public sealed class ConsoleClient : IAsyncDisposable
{
    private static readonly string[] Events = ["alertRaised", "alertUpdated", "checkInRecorded", "deviceStatusChanged", "checkpointStatusChanged", "roundUpdated", "resync", "ticketUpdated", "siteChanged", "zoneChanged", "visitorUpdated", "roomChanged", "buildingChanged", "alarmHandlingChanged"];

    private readonly HubConnection _connection;
    private readonly Channel<(string Name, JsonElement Payload)> _received = Channel.CreateUnbounded<(string, JsonElement)>();

    private ConsoleClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var name in Events)
        {
            connection.On<JsonElement>(name, payload => _received.Writer.TryWrite((name, payload)));
        }
    }

    public static Task<ConsoleClient> Connect(SystemFixture system, string token) => Connect(system.BaseUrl, token);

    public static async Task<ConsoleClient> Connect(string baseUrl, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + "/hubs/console", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var client = new ConsoleClient(connection);
        await connection.StartAsync();
        return client;
    }

    /// <summary>The next event of that name matching the predicate; others are skipped.</summary>
    public Task<JsonElement> Next(string name, Func<JsonElement, bool> match, TimeSpan? within = null) => Next([name], match, within);

    /// <summary>The next event with one of these names matching the predicate; others are skipped.</summary>
    public async Task<JsonElement> Next(string[] names, Func<JsonElement, bool> match, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var (eventName, payload) = await _received.Reader.ReadAsync(timeout.Token);
            if (names.Contains(eventName) && match(payload))
            {
                return payload;
            }
        }
    }

    /// <summary>Every event as it arrives, kept, until those kept so far are <paramref name="enough"/>; then all of them.</summary>
    public async Task<List<(string Name, JsonElement Payload)>> Collect(Func<List<(string Name, JsonElement Payload)>, bool> enough, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        List<(string, JsonElement)> events = [];
        while (!enough(events))
        {
            events.Add(await _received.Reader.ReadAsync(timeout.Token));
        }

        return events;
    }

    /// <summary>Every event received so far, without waiting.</summary>
    public List<(string Name, JsonElement Payload)> Drain()
    {
        List<(string, JsonElement)> events = [];
        while (_received.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
