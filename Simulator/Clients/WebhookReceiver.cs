using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SafetyPatrol.Simulator.Clients;

/// <summary>
/// Stands in for a duty webhook during a load run: takes the system's deliveries on <c>/hook</c> and
/// reports each raised alert; <c>/hang</c> never answers, as a dead channel would not.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();

    public WebhookReceiver(int port, Action<string, string?, string?, DateTimeOffset> raised)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            var at = DateTimeOffset.UtcNow;
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var root = body.RootElement;
            if (root.GetProperty("event").GetString() is "alert.raised" or "alert.reactivated")
            {
                var alert = root.GetProperty("alert");
                raised(alert.GetProperty("type").GetString()!, Text(alert, "deviceId"), Text(alert, "checkpointId"), at);
            }

            return Results.Ok();
        });
        _app.MapPost("/hang", async () =>
        {
            await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { });
            return Results.Ok();
        });
    }

    public Task Start() => _app.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string? Text(JsonElement alert, string name) =>
        alert.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
