using System.ComponentModel.DataAnnotations;
using System.Net;

namespace SafetyPatrol.Web.Hosting;

/// <summary>How the Web program, run alone, reaches the cluster (the <c>SafetyPatrol</c> section).</summary>
public sealed class FrontEndOptions : IValidatableObject
{
    public const string Section = "SafetyPatrol";

    /// <summary>Must match the silos' <c>SafetyPatrol:ClusterId</c>.</summary>
    [Required]
    public string ClusterId { get; set; } = "safetypatrol";

    /// <summary>The silo gateway port on this machine, used when <see cref="Gateways"/> is empty.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo gateways as <c>address:port</c>; default the local silo at <see cref="GatewayPort"/>.</summary>
    public List<string> Gateways { get; set; } = [];

    public IReadOnlyList<IPEndPoint> GatewayEndPoints() =>
        Gateways.Count == 0 ? [new IPEndPoint(IPAddress.Loopback, GatewayPort)] : Gateways.Select(IPEndPoint.Parse).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Gateways.Count; i++)
        {
            if (!IPEndPoint.TryParse(Gateways[i], out var endPoint) || endPoint.Port == 0)
            {
                yield return new ValidationResult($"SafetyPatrol:Gateways:{i} '{Gateways[i]}' is not an address:port such as 10.0.0.5:30000.");
            }
        }
    }
}
