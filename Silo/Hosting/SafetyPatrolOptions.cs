using System.ComponentModel.DataAnnotations;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>The <c>SafetyPatrol</c> settings section (docs/interface.md §1).</summary>
public sealed class SafetyPatrolOptions
{
    public const string Section = "SafetyPatrol";

    /// <summary>Site definition; the bundled demo campus when empty.</summary>
    public string? SiteFile { get; set; }

    [Required]
    public string DataDir { get; set; } = "./data";

    /// <summary>Password of the built-in <c>admin</c> user, set at every start.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>The README's demo run: demo users with known passwords, printed at start.</summary>
    public bool Demo { get; set; }

    /// <summary>
    /// The node feeds its site's devices a normal reading a minute until one publishes over MQTT (<see cref="DemoFeed"/>).
    /// Unset: on in a demo run on the bundled demo campus, off otherwise.
    /// </summary>
    public bool? DemoFeed { get; set; }

    /// <summary>Whether the demo feed runs: as set, else in a demo run on the bundled campus.</summary>
    public bool FeedsDemoDevices => DemoFeed ?? (Demo && string.IsNullOrWhiteSpace(SiteFile));

    /// <summary>The Orleans cluster this node belongs to; front ends name the same.</summary>
    [Required]
    public string ClusterId { get; set; } = "safetypatrol";

    /// <summary>Cluster mode: the address other silos and front ends reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    public MqttOptions Mqtt { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();

    public string ResolveSiteFile() =>
        string.IsNullOrWhiteSpace(SiteFile) ? Path.Combine(AppContext.BaseDirectory, "sites", "demo-campus.json") : SiteFile;
}

public sealed class MqttOptions
{
    /// <summary>MQTT TCP port; 0 turns the listener off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    public string Address { get; set; } = "127.0.0.1";

    /// <summary>MQTT over TLS (8883 is usual); 0 = off. Needs <see cref="Certificate"/>.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; }

    public CertificateOptions Certificate { get; set; } = new();

    /// <summary>A connection that has not sent a whole CONNECT by then is closed.</summary>
    [Range(1, 300)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Open connections allowed from one client address (devices behind one NAT share one).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 1000;

    /// <summary>
    /// A device sending again within this many milliseconds of its last call to its grain has its readings wait
    /// for the next tick and go together (at most this much later); 0 sends every reading at once.
    /// </summary>
    [Range(0, 100)]
    public int BatchMilliseconds { get; set; } = 5;
}

/// <summary>A certificate for the MQTT TLS listener: PEM (with <see cref="KeyPath"/>) or PFX (with <see cref="Password"/>).</summary>
public sealed class CertificateOptions
{
    public string? Path { get; set; }

    public string? KeyPath { get; set; }

    public string? Password { get; set; }
}

/// <summary><c>SafetyPatrol:Metrics</c>: where Prometheus scrapes <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>A port of its own for <c>/metrics</c>, which the public port then no longer answers; 0 = on the public port.</summary>
    public int Port { get; set; }

    /// <summary>The address that port binds.</summary>
    public string Address { get; set; } = "127.0.0.1";
}

/// <summary><c>SafetyPatrol:Tracing</c>: OpenTelemetry traces of reading → grain → alert → push, off unless an endpoint is set.</summary>
public sealed class TracingOptions
{
    /// <summary>An OTLP collector, for example <c>http://127.0.0.1:4317</c>; empty = no tracing.</summary>
    public string? OtlpEndpoint { get; set; }
}
