using System.Collections.Immutable;
using System.Text;
using SafetyPatrol.Devices;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>Realistic readings per device model, with noise; and the payloads that inject faults.</summary>
public static class Telemetry
{
    private static readonly byte[] DoorOpen = """{"door":"open"}"""u8.ToArray();

    /// <summary>
    /// A device's next normal reading. A door contact stays closed, unless <paramref name="doorTraffic"/>: then each reading
    /// opens or closes it in turn (<paramref name="sequence"/> counts its readings), as people pass through in school hours.
    /// </summary>
    public static byte[] Normal(string? model, Random random, long sequence = 0, bool doorTraffic = false) =>
        model == "door-contact" && doorTraffic && sequence % 2 == 0 ? DoorOpen : NormalTelemetry.Of(model, random);
}

/// <summary>
/// A kind of fault: which devices it applies to, what it publishes, which alert must follow and after what on-delay
/// (from the device, for a door held open). <see cref="WhenArmed"/>: only a device whose zone is armed raises it.
/// </summary>
public sealed record FaultKind(string Name, Func<string?, bool> AppliesTo, string Payload, string Restore, string AlertType, Func<DeviceDefinition, TimeSpan> OnDelay,
    bool WhenArmed = false)
{
    private const int DefaultHeldOpenSeconds = 120;

    public FaultKind(string name, Func<string?, bool> appliesTo, string payload, string restore, string alertType, TimeSpan onDelay)
        : this(name, appliesTo, payload, restore, alertType, _ => onDelay)
    {
    }

    public static readonly ImmutableArray<FaultKind> All =
    [
        new("fire", m => m is "smoke-detector", """{"smoke":true}""", """{"smoke":false}""", "fire.smoke", TimeSpan.Zero),
        new("leak", m => m is "leak-sensor", """{"leak":true}""", """{"leak":false}""", "water.leak", TimeSpan.Zero),
        new("power-outage", m => m is "power-meter", """{"mains":false,"voltage":0}""", """{"mains":true,"voltage":221}""", "power.outage", TimeSpan.Zero),
        new("undervoltage", m => m is "power-meter" or "distribution-panel", """{"voltage":186.5,"mains":true}""", """{"voltage":221,"mains":true}""", "power.undervoltage", TimeSpan.FromSeconds(5)),
        new("oxygen-drop", m => m is "o2-manifold", """{"o2Pressure":250}""", """{"o2Pressure":400}""", "gas.o2-pressure-low", TimeSpan.FromSeconds(10)),
        new("gas-leak", m => m is "gas-detector", """{"gasLeak":true}""", """{"gasLeak":false}""", "gas.leak", TimeSpan.Zero),
        new("intrusion", m => m is "perimeter-beam" or "fence-sensor", """{"intrusion":true}""", """{"intrusion":false}""", "security.intrusion", _ => TimeSpan.Zero, WhenArmed: true),
        new("forced-door", m => m is "door-contact", """{"door":"open","forced":true}""", """{"door":"closed","forced":false}""", "security.door-forced", TimeSpan.Zero),
        new("held-open-door", m => m is "door-contact", """{"door":"open"}""", """{"door":"closed"}""", "security.door-held-open",
            d => TimeSpan.FromSeconds(d.HeldOpenSeconds ?? DefaultHeldOpenSeconds)),
        new("video-loss", m => m is "camera" or "nvr", """{"video":"lost","recording":false,"storage":"ok"}""", """{"video":"ok","recording":true,"storage":"ok"}""", "security.video-lost", TimeSpan.Zero),
        new("panic", m => m is "panic-button", """{"panic":true}""", """{"panic":false}""", "security.panic", TimeSpan.Zero),
        new("tamper", _ => true, """{"tamper":true}""", """{"tamper":false}""", "device.tamper", TimeSpan.Zero),
        new("silent", _ => true, "", "", "device.offline", TimeSpan.Zero),
    ];
}
