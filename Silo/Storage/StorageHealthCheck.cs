using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Silo.Storage;

/// <summary><c>/health</c> is 503, with the reason, while the node cannot store what it takes.</summary>
public sealed class StorageHealthCheck(StoreHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.Problem is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy());
}
