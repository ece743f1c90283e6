using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SafetyPatrol.Sites;
using SafetyPatrol.Web;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// The lines a person starting the system needs: where the console and the officers' page are, the
/// MQTT port, how to sign in. An address that listens on every interface is shown as the addresses
/// phones and devices on the campus network can use, never as 0.0.0.0.
/// </summary>
internal static class Banner
{
    public static void Print(WebApplication app, SafetyPatrolOptions settings, IReadOnlyList<SiteDefinition> sites)
    {
        var mqttPorts = new[] { settings.Mqtt.Port, settings.Mqtt.TlsPort }.Where(p => p > 0).Select(p => $":{p}").ToList();
        var http = (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Where(a => !mqttPorts.Any(p => a.EndsWith(p, StringComparison.Ordinal)))
            .SelectMany(Reachable)
            .DefaultIfEmpty(SafetyPatrolApp.DefaultUrls)
            .ToList();
        var lines = new List<string>
        {
            "",
            (sites is [var site]
                ? $"SafetyPatrol is running: {site.Name} ({site.Id}), "
                : $"SafetyPatrol is running: {sites.Count} sites ({string.Join(", ", sites.Take(3).Select(s => s.Id))}{(sites.Count > 3 ? ", …" : "")}), ")
                + $"{sites.Sum(s => s.Buildings.Count)} buildings, {sites.Sum(s => s.Devices.Count)} devices, {sites.Sum(s => s.Checkpoints.Count)} checkpoints",
            $"  Console:  {string.Join("  ", http.Select(u => u + "/"))}",
            $"  Officers: {string.Join("  ", http.Select(u => u + "/officer.html"))}",
        };
        foreach (var (name, port) in new[] { ("MQTT:    ", settings.Mqtt.Port), ("MQTT TLS:", settings.Mqtt.TlsPort) }.Where(p => p.Item2 > 0))
        {
            lines.Add($"  {name} {string.Join("  ", Hosts(settings.Mqtt.Address).Select(h => $"{h}:{port}"))} (username = device id, password = device secret)");
        }

        if (settings.Mqtt.Port == 0 && settings.Mqtt.TlsPort == 0)
        {
            lines.Add("  MQTT:     off");
        }

        lines.Add($"  Data:     {Path.GetFullPath(settings.DataDir)}");
        if (settings.Demo)
        {
            var admin = settings.AdminPassword ?? SiteBootstrapper.DemoPassword;
            lines.Add($"  Sign in:  admin / {admin}   operator / {SiteBootstrapper.DemoPassword}   officer / {SiteBootstrapper.DemoPassword}   guard / {SiteBootstrapper.DemoPassword}   technician / {SiteBootstrapper.DemoPassword}   (demo users)");
        }

        if (settings.FeedsDemoDevices)
        {
            lines.Add("  Devices:  fed by this node until one publishes over MQTT, so the console starts calm");
            lines.Add("  Next:     dotnet run --project Simulator -- demo    (telemetry, an officer on patrol, an occasional fault)");
        }

        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    /// <summary>A listening URL as it can be reached: one per network address when it listens on all of them.</summary>
    internal static IEnumerable<string> Reachable(string url)
    {
        var uri = new Uri(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0").Replace("[::]", "0.0.0.0"));
        return Hosts(uri.Host).Select(h => $"{uri.Scheme}://{h}:{uri.Port}");
    }

    private static IEnumerable<string> Hosts(string host)
    {
        if (host is not ("0.0.0.0" or "::"))
        {
            return [host];
        }

        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.ToString())
            .ToList();
        return addresses.Count > 0 ? addresses : [IPAddress.Loopback.ToString()];
    }
}
