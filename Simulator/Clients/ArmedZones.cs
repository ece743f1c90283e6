using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyPatrol.Simulator.Clients;

/// <summary>
/// Which devices' zones are armed now, as the console knows it: read once from <c>/api/zones</c>, then kept from the
/// hub's <c>zoneChanged</c> pushes. A device in no zone counts as armed, as on the system.
/// </summary>
public sealed class ArmedZones
{
    private readonly ConcurrentDictionary<string, bool> _byDevice = new(StringComparer.Ordinal);

    public static async Task<ArmedZones> Read(ApiClient client, CancellationToken cancellationToken)
    {
        var zones = new ArmedZones();
        foreach (var zone in (await client.Http.GetFromJsonAsync<JsonElement>("/api/zones", cancellationToken)).EnumerateArray())
        {
            zones.Changed(zone);
        }

        return zones;
    }

    public bool IsArmed(string deviceId) => _byDevice.GetValueOrDefault(deviceId, true);

    /// <summary>A zone as pushed or listed: <c>{id, armed, devices, ...}</c>.</summary>
    public void Changed(JsonElement zone)
    {
        var armed = zone.GetProperty("armed").GetBoolean();
        foreach (var device in zone.GetProperty("devices").EnumerateArray())
        {
            _byDevice[device.GetString()!] = armed;
        }
    }
}
