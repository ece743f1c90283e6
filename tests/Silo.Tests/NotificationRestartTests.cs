using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Deliveries survive a crash: pending when the process is killed, sent with the same id after the restart.</summary>
public sealed class NotificationRestartTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AWebhookThatWasDownWhenTheProcessWasKilledGetsTheSameDeliveryAfterTheRestart()
    {
        var (http, mqtt, hookPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        var baseUrl = $"http://127.0.0.1:{http}";
        string[] args =
        [
            $"--Urls={baseUrl}", $"--SafetyPatrol:SiteFile={E2eSite.WriteTo(_temp.Path)}", $"--SafetyPatrol:DataDir={Path.Combine(_temp.Path, "data")}",
            "--SafetyPatrol:AdminPassword=deliver-pass", $"--SafetyPatrol:Mqtt:Port={mqtt}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}",
            "--SafetyPatrol:Notify:Channels:duty:Type=webhook", $"--SafetyPatrol:Notify:Channels:duty:Url=http://127.0.0.1:{hookPort}/ok",
            "--SafetyPatrol:Notify:Routes:0:MinSeverity=critical", "--SafetyPatrol:Notify:Routes:0:Channels:0=duty",
        ];

        string deliveryId, alertId;
        await using (var first = SiloProcess.Start(args))
        {
            await first.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
            using var client = await ProcessClients.SignIn(baseUrl, "admin", "deliver-pass");
            await ProcessClients.Publish(mqtt, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": true}""");

            // Nobody listens yet: the delivery is tried, refused, and kept pending.
            JsonElement pending = default;
            await first.WaitUntil(async () =>
            {
                var deliveries = await client.GetFromJsonAsync<JsonElement[]>("/api/notifications?status=pending");
                pending = deliveries!.FirstOrDefault(d => d.GetProperty("attempts").GetInt32() >= 1);
                return pending.ValueKind == JsonValueKind.Object;
            }, TimeSpan.FromSeconds(30), "the delivery has been tried");
            (deliveryId, alertId) = (pending.GetProperty("deliveryId").GetString()!, pending.GetProperty("alertId").GetString()!);
            await first.Kill();
        }

        await using var receiver = new HookReceiver(hookPort);
        await receiver.Start();
        await using var second = SiloProcess.Start(args);

        var hook = await receiver.Next("/ok", within: TimeSpan.FromSeconds(60));
        Assert.Equal(deliveryId, hook.Header("X-SafetyPatrol-Delivery"));
        Assert.Equal(alertId, JsonDocument.Parse(hook.Body).RootElement.GetProperty("alert").GetProperty("id").GetString());
        await second.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
        using var again = await ProcessClients.SignIn(baseUrl, "admin", "deliver-pass");
        await second.WaitUntil(async () => (await again.GetFromJsonAsync<JsonElement[]>($"/api/notifications?alertId={alertId}"))!
            .Any(d => d.GetProperty("deliveryId").GetString() == deliveryId && d.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(30), "the delivery is sent");
    }
}
