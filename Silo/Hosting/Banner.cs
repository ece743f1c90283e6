using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>The lines a person starting the system needs: where the console is, the MQTT port, how to sign in.</summary>
internal static class Banner
{
    public static void Print(WebApplication app, SafetyPatrolOptions settings, SiteDefinition site)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var mqttSuffix = $":{settings.Mqtt.Port}";
        var console = addresses.FirstOrDefault(a => !a.EndsWith(mqttSuffix, StringComparison.Ordinal)) ?? SafetyPatrolApp.DefaultUrls;
        var lines = new List<string>
        {
            "",
            $"SafetyPatrol is running: {site.Name} ({site.Id}), {site.Buildings.Count} buildings, {site.Devices.Count} devices, {site.Checkpoints.Count} checkpoints",
            $"  Console:  {console}/",
            settings.Mqtt.Port > 0 ? $"  MQTT:     {settings.Mqtt.Address}:{settings.Mqtt.Port} (username = device id, password = device secret)" : "  MQTT:     off",
            settings.Mqtt.TlsPort > 0 ? $"  MQTT TLS: {settings.Mqtt.Address}:{settings.Mqtt.TlsPort}" : "",
            $"  Data:     {Path.GetFullPath(settings.DataDir)}",
        };
        if (settings.Demo)
        {
            var admin = settings.AdminPassword ?? SiteBootstrapper.DemoPassword;
            lines.Add($"  Sign in:  admin / {admin}   operator / {SiteBootstrapper.DemoPassword}   officer / {SiteBootstrapper.DemoPassword}   (demo users)");
        }

        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines.Where((line, i) => line.Length > 0 || i == 0 || i == lines.Count - 1)));
    }
}
