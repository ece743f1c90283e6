using System.Net;
using Microsoft.Extensions.Options;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>Settings that data annotations cannot check; every message names its setting.</summary>
public sealed class SafetyPatrolOptionsValidator : IValidateOptions<SafetyPatrolOptions>
{
    public ValidateOptionsResult Validate(string? name, SafetyPatrolOptions options)
    {
        List<string> failures = [];
        if (!options.Demo && string.IsNullOrWhiteSpace(options.AdminPassword))
        {
            failures.Add("SafetyPatrol:AdminPassword is not set. Set it (for example SafetyPatrol__AdminPassword=...) "
                + "to the password of the built-in 'admin' user, or start the demo with --demo.");
        }
        else if (options.AdminPassword is { Length: > 0 and < 8 } && !options.Demo)
        {
            failures.Add("SafetyPatrol:AdminPassword must be at least 8 characters long.");
        }

        if (!IPAddress.TryParse(options.Mqtt.Address, out _))
        {
            failures.Add($"SafetyPatrol:Mqtt:Address '{options.Mqtt.Address}' is not an IP address.");
        }

        foreach (var (setting, port, off) in new[]
        {
            ("SafetyPatrol:Mqtt:Port", options.Mqtt.Port, true), ("SafetyPatrol:Mqtt:TlsPort", options.Mqtt.TlsPort, true),
            ("SafetyPatrol:SiloPort", options.SiloPort, false), ("SafetyPatrol:GatewayPort", options.GatewayPort, false),
            ("SafetyPatrol:Metrics:Port", options.Metrics.Port, true),
        })
        {
            if (port is < 0 or > 65535 || port == 0 && !off)
            {
                failures.Add($"{setting} is {port}; a port is a number from 1 to 65535{(off ? " (0 turns it off)" : "")}.");
            }
        }

        if (options.Mqtt.TlsPort > 0 && string.IsNullOrWhiteSpace(options.Mqtt.Certificate.Path))
        {
            failures.Add("SafetyPatrol:Mqtt:TlsPort is set but SafetyPatrol:Mqtt:Certificate:Path is not: name a PEM certificate (with Certificate:KeyPath) or a PFX file.");
        }

        if (options.Mqtt.Port > 0 && options.Mqtt.Port == options.Mqtt.TlsPort)
        {
            failures.Add("SafetyPatrol:Mqtt:Port and SafetyPatrol:Mqtt:TlsPort must differ.");
        }

        if (options.Mqtt.BatchMilliseconds is < 0 or > 100)
        {
            failures.Add($"SafetyPatrol:Mqtt:BatchMilliseconds is {options.Mqtt.BatchMilliseconds}; it is 0 (every reading goes to its grain at once) to 100 milliseconds.");
        }

        if (!IPAddress.TryParse(options.Metrics.Address, out _))
        {
            failures.Add($"SafetyPatrol:Metrics:Address '{options.Metrics.Address}' is not an IP address.");
        }

        if (options.Tracing.OtlpEndpoint is { Length: > 0 } collector
            && !(Uri.TryCreate(collector, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            failures.Add($"SafetyPatrol:Tracing:OtlpEndpoint '{collector}' is not an http(s) address of an OTLP collector (for example http://127.0.0.1:4317).");
        }

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add("SafetyPatrol:SiloPort and SafetyPatrol:GatewayPort must differ.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
