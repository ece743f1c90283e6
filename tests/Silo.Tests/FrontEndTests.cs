using System.Net.Http.Headers;
using System.Net.Http.Json;
using MQTTnet;
using MQTTnet.Protocol;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>The Web program run alone as a front end (an Orleans client) of a running Silo program.</summary>
public sealed class FrontEndTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheWebProgramAloneServesTheApiPagesAndLiveAlertsOfARunningSilo()
    {
        var data = Path.Combine(_temp.Path, "data");
        var (siloHttp, webHttp, mqtt, gateway) = (Ports.Free(), Ports.Free(), Ports.Free(), Ports.Free());

        // The front end starts first and waits for the cluster; it shares the DataDir, so it signs tokens with the silo's key.
        var webUrl = $"http://127.0.0.1:{webHttp}";
        await using var web = SiloProcess.StartWeb($"--Urls={webUrl}", $"--SafetyPatrol:GatewayPort={gateway}", $"--SafetyPatrol:DataDir={data}");
        await using var silo = SiloProcess.Start(
            $"--Urls=http://127.0.0.1:{siloHttp}", $"--SafetyPatrol:SiteFile={E2eSite.WriteTo(_temp.Path)}", $"--SafetyPatrol:DataDir={data}",
            "--SafetyPatrol:AdminPassword=front-end-1", $"--SafetyPatrol:Mqtt:Port={mqtt}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={gateway}");
        await silo.WaitUntilHealthy($"http://127.0.0.1:{siloHttp}", TimeSpan.FromSeconds(60));
        await web.WaitUntilHealthy(webUrl, TimeSpan.FromSeconds(60));
        Assert.Contains("SafetyPatrol web front end is running", web.Output);

        using var http = new HttpClient { BaseAddress = new Uri(webUrl) };
        Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
        var token = (await (await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "front-end-1" })).Read())
            .GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var site = await (await http.GetAsync("/api/site")).Read();
        Assert.Equal("e2e", site.GetProperty("id").GetString());

        // A reading taken by the silo's MQTT listener reaches a console connected to the front end.
        await using var console = await ConsoleClient.Connect(webUrl, token);
        var raised = console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-101");
        using (var device = new MqttClientFactory().CreateMqttClient())
        {
            await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqtt).WithCredentials("smoke-101", "s3cr3t").Build());
            await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("devices/smoke-101/telemetry").WithPayload("""{"smoke": true}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        var alertId = (await raised.WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result
            : throw new Xunit.Sdk.XunitException($"No alertRaised on the front end's hub.\nSilo:\n{silo.Output}\nWeb:\n{web.Output}"))).GetProperty("id").GetString();
        await (await http.PostAsJsonAsync($"/api/alerts/{alertId}/acknowledge", new { note = "seen from the front end" })).Read();

        // The acknowledgement made on the front end is the cluster's: the silo's own API shows it.
        using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{siloHttp}") };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var alert = await (await direct.GetAsync($"/api/alerts/{alertId}")).Read();
        Assert.Equal(("acknowledged", "admin"), (alert.GetProperty("status").GetString(), alert.GetProperty("acknowledgedBy").GetString()));
    }

    [Fact]
    public async Task AFrontEndWithABadGatewaySettingStopsNamingTheSetting()
    {
        await using var web = SiloProcess.StartWeb($"--Urls=http://127.0.0.1:{Ports.Free()}", "--SafetyPatrol:Gateways:0=not-an-address");
        var exit = await web.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains("SafetyPatrol:Gateways:0 'not-an-address' is not an address:port", web.Output);
    }
}
