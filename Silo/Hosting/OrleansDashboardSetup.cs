using Orleans.Dashboard;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> (admins only, docs/interface.md §12), without the host it starts beside it on
/// every node, whose only lasting work is a reader that collects all of Orleans' own metrics once a second for the silo
/// page's counter table. Two of those metrics are counted anew at each reading: the requests of every activation, walked
/// under the lock that every new activation takes, and the size of the grain directory's cache. On a node of a district
/// (150,000 activations) that was the busiest code of the node's own (a thread-time profile under load: 1.6 % of all
/// samples in the walk, 0.6 % in the cache, every second, whether anyone had the dashboard open or not). The dashboard's
/// pages (activations, grains, calls, silos) come from its grain and its call profiler, which stay; Orleans' metrics remain
/// at <c>/metrics</c>, read when Prometheus asks. The host's other work at a start was to activate the dashboard's grain,
/// which its first page does anyway, and to give each silo's versions to the silo page, which shows none now.
/// </summary>
public static class OrleansDashboardSetup
{
    /// <summary>The dashboard's host: a hosted service, and a silo lifecycle participant that starts the reader.</summary>
    public static readonly Type DashboardHost = typeof(DashboardOptions).Assembly.GetType("Orleans.Dashboard.DashboardHost", throwOnError: true)!;

    public static ISiloBuilder AddOrleansDashboard(this ISiloBuilder silo)
    {
        var before = silo.Services.ToHashSet();
        silo.AddDashboard();
        // Each service the dashboard adds that starts with a node (hosted services, silo lifecycle participants) is resolved
        // through a factory of ours instead, which answers a service that does nothing where the dashboard's is its host.
        foreach (var starter in silo.Services.Where(d => !before.Contains(d) && (d.ServiceType == typeof(IHostedService) || d.ServiceType == typeof(ILifecycleParticipant<ISiloLifecycle>))).ToList())
        {
            silo.Services.Remove(starter);
            silo.Services.Add(ServiceDescriptor.Describe(starter.ServiceType, services =>
            {
                var service = Create(services, starter);
                return service.GetType() != DashboardHost ? service : new Nothing();
            }, starter.Lifetime));
        }

        return silo;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor service) =>
        service.ImplementationInstance ?? service.ImplementationFactory?.Invoke(services) ?? ActivatorUtilities.GetServiceOrCreateInstance(services, service.ImplementationType!);

    private sealed class Nothing : IHostedService, ILifecycleParticipant<ISiloLifecycle>
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Participate(ISiloLifecycle lifecycle)
        {
        }
    }
}
