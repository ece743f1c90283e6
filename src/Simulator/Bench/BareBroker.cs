using System.Buffers;
using System.Net;
using System.Text.Json;
using MQTTnet.Server;

namespace SafetyPatrol.Simulator.Bench;

/// <summary>
/// The ceiling: a bare MQTTnet broker that accepts every connection, parses each payload as JSON
/// and counts it, and does nothing else. The same load against it and against the system, on the
/// same machine, gives the ratio the benchmark reports.
/// </summary>
public static class BareBroker
{
    public static async Task<int> Run(int port, CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build();
        using var server = new MqttServerFactory().CreateMqttServer(options);
        long parsed = 0, bad = 0;
        server.ValidatingConnectionAsync += e =>
        {
            if (string.IsNullOrEmpty(e.ClientId))
            {
                e.AssignedClientIdentifier = Guid.NewGuid().ToString("N");
            }

            return Task.CompletedTask;
        };
        server.InterceptingPublishAsync += e =>
        {
            e.ProcessPublish = false;
            try
            {
                var reader = new Utf8JsonReader(e.ApplicationMessage.Payload);
                while (reader.Read())
                {
                }

                Interlocked.Increment(ref parsed);
            }
            catch (JsonException)
            {
                Interlocked.Increment(ref bad);
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        Console.WriteLine($"Bare MQTTnet broker on 127.0.0.1:{port}: parses and counts, nothing else. Ctrl+C to stop.");
        try
        {
            long last = 0;
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                var now = Interlocked.Read(ref parsed);
                Console.WriteLine($"  parsed {now:N0} ({(now - last) / 5.0:N0}/s), bad {Interlocked.Read(ref bad):N0}");
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }

        await server.StopAsync();
        return 0;
    }
}
