using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web;

/// <summary>What reads the settings, and so which of them it needs.</summary>
public enum SettingsUse
{
    /// <summary>A node: silo, MQTT and web in one process (it needs the admin's password).</summary>
    Node,

    /// <summary>A web front end of a cluster.</summary>
    FrontEnd,

    /// <summary>A command of the node's that does not start it (backup, restore).</summary>
    Tool,
}

/// <summary>
/// The <c>SafetyPatrol</c> settings section (docs/interface.md §1), for a node and a web front end alike: read and checked
/// once, as the host is built (<see cref="Load"/>), with every problem named by its setting.
/// </summary>
public sealed class SafetyPatrolOptions
{
    public const string Section = "SafetyPatrol";

    /// <summary>Site definition; the bundled demo campus when empty.</summary>
    public string? SiteFile { get; set; }

    [Required(ErrorMessage = "name the folder the node keeps its data in")]
    public string DataDir { get; set; } = "./data";

    /// <summary>Password of the built-in <c>admin</c> user, set at every start.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>The README's demo run: demo users with known passwords, printed at start.</summary>
    public bool Demo { get; set; }

    /// <summary>
    /// The node feeds its site's devices a normal reading a minute until one publishes over MQTT (the demo feed).
    /// Unset: on in a demo run on the bundled demo campus, off otherwise.
    /// </summary>
    public bool? DemoFeed { get; set; }

    /// <summary>Whether the demo feed runs: as set, else in a demo run on the bundled campus.</summary>
    public bool FeedsDemoDevices => DemoFeed ?? (Demo && string.IsNullOrWhiteSpace(SiteFile));

    /// <summary>The Orleans cluster this node belongs to; front ends name the same.</summary>
    [Required(ErrorMessage = "name the cluster (its nodes and front ends name the same)")]
    public string ClusterId { get; set; } = "safetypatrol";

    /// <summary>Cluster mode: the address other silos and front ends reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "a port is a number from 1 to 65535")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>A node's silo gateway; for a front end, the local silo's when <see cref="Gateways"/> is empty.</summary>
    [Range(1, 65535, ErrorMessage = "a port is a number from 1 to 65535")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>A front end's silo gateways as <c>address:port</c>; default the local silo at <see cref="GatewayPort"/>.</summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>Signing key for access tokens (at least 32 characters); when empty, the cluster's, kept in its store.</summary>
    public string? TokenKey { get; set; }

    [Range(1, 7 * 24 * 60, ErrorMessage = "it is 1 to 10080 minutes (a week)")]
    public int TokenLifetimeMinutes { get; set; } = 12 * 60;

    /// <summary>Sign-in requests one client address may make a minute (docs/interface.md §11); more answer 429.</summary>
    [Range(1, 100_000, ErrorMessage = "it is 1 to 100000")]
    public int SignInsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Check-in requests one officer may make a minute; more answer 429.</summary>
    [Range(1, 100_000, ErrorMessage = "it is 1 to 100000")]
    public int CheckInsPerOfficerPerMinute { get; set; } = 60;

    public MqttOptions Mqtt { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();

    public string ResolveSiteFile() =>
        string.IsNullOrWhiteSpace(SiteFile) ? Path.Combine(AppContext.BaseDirectory, "sites", "demo-campus.json") : SiteFile;

    public IReadOnlyList<IPEndPoint> GatewayEndPoints() =>
        Gateways.Count == 0 ? [new IPEndPoint(IPAddress.Loopback, GatewayPort)] : [.. Gateways.Select(IPEndPoint.Parse)];

    /// <summary>The section of <paramref name="configuration"/>, checked for <paramref name="use"/>.</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong; the message names each.</exception>
    public static SafetyPatrolOptions Load(IConfiguration configuration, SettingsUse use)
    {
        var settings = configuration.GetSection(Section).Get<SafetyPatrolOptions>() ?? new();
        var problems = settings.Problems(use);
        return problems.Count > 0 ? throw new OptionsValidationException(Section, typeof(SafetyPatrolOptions), problems) : settings;
    }

    /// <summary>Loads the settings and makes them the host's <see cref="IOptions{TOptions}"/>: nothing reads the section again.</summary>
    public static SafetyPatrolOptions Register(IHostApplicationBuilder builder, SettingsUse use)
    {
        var settings = Load(builder.Configuration, use);
        builder.Services.AddSingleton(Options.Create(settings));
        return settings;
    }

    /// <summary>What is wrong with these settings for <paramref name="use"/>, each naming its setting; none when all is well.</summary>
    public IReadOnlyList<string> Problems(SettingsUse use)
    {
        List<string> failures = [];
        foreach (var (prefix, part) in new (string, object)[] { (Section, this), ($"{Section}:Mqtt", Mqtt), ($"{Section}:Metrics", Metrics) })
        {
            List<ValidationResult> results = [];
            Validator.TryValidateObject(part, new ValidationContext(part), results, validateAllProperties: true);
            // Each named with its value, as a person would look for it: "SafetyPatrol:Mqtt:Port is 99999; a port is …".
            failures.AddRange(results.Select(r => r.MemberNames.FirstOrDefault() is { } member
                ? $"{prefix}:{member} is {(part.GetType().GetProperty(member)?.GetValue(part)?.ToString() is { Length: > 0 } value ? value : "empty")}; {r.ErrorMessage}."
                : $"{prefix}: {r.ErrorMessage}"));
        }

        if (use == SettingsUse.Node && !Demo && string.IsNullOrWhiteSpace(AdminPassword))
        {
            failures.Add("SafetyPatrol:AdminPassword is not set. Set it (for example SafetyPatrol__AdminPassword=...) "
                + "to the password of the built-in 'admin' user, or start the demo with --demo.");
        }
        else if (use == SettingsUse.Node && AdminPassword is { Length: > 0 and < 8 } && !Demo)
        {
            failures.Add("SafetyPatrol:AdminPassword must be at least 8 characters long.");
        }

        if (TokenKey is { Length: > 0 } key && key.Length < ITokenKeyGrain.MinimumLength)
        {
            failures.Add($"SafetyPatrol:TokenKey must be at least {ITokenKeyGrain.MinimumLength} characters long.");
        }

        for (var i = 0; i < Gateways.Count; i++)
        {
            if (!IPEndPoint.TryParse(Gateways[i], out var endPoint) || endPoint.Port == 0)
            {
                failures.Add($"SafetyPatrol:Gateways:{i} '{Gateways[i]}' is not an address:port such as 10.0.0.5:30000.");
            }
        }

        foreach (var (setting, address) in new[] { ("SafetyPatrol:Mqtt:Address", Mqtt.Address), ("SafetyPatrol:Metrics:Address", Metrics.Address) })
        {
            if (!IPAddress.TryParse(address, out _))
            {
                failures.Add($"{setting} '{address}' is not an IP address.");
            }
        }

        if (Metrics.Port is < 0 or > 65535)
        {
            failures.Add($"SafetyPatrol:Metrics:Port is {Metrics.Port}; a port is a number from 1 to 65535 (0 turns it off).");
        }

        if (Mqtt.TlsPort > 0 && string.IsNullOrWhiteSpace(Mqtt.Certificate.Path))
        {
            failures.Add("SafetyPatrol:Mqtt:TlsPort is set but SafetyPatrol:Mqtt:Certificate:Path is not: name a PEM certificate (with Certificate:KeyPath) or a PFX file.");
        }

        if (Mqtt.Port > 0 && Mqtt.Port == Mqtt.TlsPort)
        {
            failures.Add("SafetyPatrol:Mqtt:Port and SafetyPatrol:Mqtt:TlsPort must differ.");
        }

        if (Tracing.OtlpEndpoint is { Length: > 0 } collector
            && !(Uri.TryCreate(collector, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            failures.Add($"SafetyPatrol:Tracing:OtlpEndpoint '{collector}' is not an http(s) address of an OTLP collector (for example http://127.0.0.1:4317).");
        }

        if (SiloPort == GatewayPort)
        {
            failures.Add("SafetyPatrol:SiloPort and SafetyPatrol:GatewayPort must differ.");
        }

        return failures;
    }
}

public sealed class MqttOptions
{
    /// <summary>MQTT TCP port; 0 turns the listener off.</summary>
    [Range(0, 65535, ErrorMessage = "a port is a number from 1 to 65535 (0 turns it off)")]
    public int Port { get; set; } = 1883;

    public string Address { get; set; } = "127.0.0.1";

    /// <summary>MQTT over TLS (8883 is usual); 0 = off. Needs <see cref="Certificate"/>.</summary>
    [Range(0, 65535, ErrorMessage = "a port is a number from 1 to 65535 (0 turns it off)")]
    public int TlsPort { get; set; }

    public CertificateOptions Certificate { get; set; } = new();

    /// <summary>A connection that has not sent a whole CONNECT by then is closed.</summary>
    [Range(1, 300, ErrorMessage = "it is 1 to 300 seconds")]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Open connections allowed from one client address (devices behind one NAT share one).</summary>
    [Range(1, 1_000_000, ErrorMessage = "it is 1 to 1000000")]
    public int MaxConnectionsPerAddress { get; set; } = 1000;

    /// <summary>
    /// A device sending again within this many milliseconds of its last call to its grain has its readings wait
    /// for the next tick and go together (at most this much later); 0 sends every reading at once.
    /// </summary>
    [Range(0, 100, ErrorMessage = "it is 0 (every reading goes to its grain at once) to 100 milliseconds")]
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
