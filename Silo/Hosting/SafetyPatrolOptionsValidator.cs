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

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add("SafetyPatrol:SiloPort and SafetyPatrol:GatewayPort must differ.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
