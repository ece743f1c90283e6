using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;
using MQTTnet.Server;

namespace SafetyPatrol.Simulator.Bench;

/// <summary>
/// The ceiling: a bare MQTTnet broker, hosted in Kestrel exactly as the system hosts its own, that
/// accepts every connection, parses each payload as JSON and counts it, and does nothing else. The
/// same load against it and against the system, on the same machine, gives the ratio the benchmark
/// reports.
/// </summary>
public static class BareBroker
{
    public static async Task<int> Run(int port, string? statsFile, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseMqtt()));
        builder.Services.AddHostedMqttServer(o => o.WithoutDefaultEndpoint());
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddConnections();
        await using var app = builder.Build();

        long parsed = 0, bad = 0;
        app.UseMqttServer(server =>
        {
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
        });
        await app.StartAsync(cancellationToken);
        Console.WriteLine($"Bare MQTTnet broker (Kestrel) on 127.0.0.1:{port}: parses and counts, nothing else. Ctrl+C to stop.");
        try
        {
            long last = 0;
            for (var tick = 1; ; tick++)
            {
                // A tenth of a second, so a run's end and the drain after it are counted closely; written whole, then moved.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                var now = Interlocked.Read(ref parsed);
                if (statsFile is not null)
                {
                    await File.WriteAllTextAsync(statsFile + ".new", now.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
                    File.Move(statsFile + ".new", statsFile, overwrite: true);
                }

                if (tick % 50 == 0)
                {
                    Console.WriteLine($"  parsed {now:N0} ({(now - last) / 5.0:N0}/s), bad {Interlocked.Read(ref bad):N0}");
                    last = now;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
