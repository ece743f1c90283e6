using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace SafetyPatrol.Web.Hosting;

/// <summary>The front end is ready when the cluster answers: it keeps nothing of its own.</summary>
public sealed class ClusterHealth(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return silos.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No silo is active.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer: " + ex.Message);
        }
    }
}
