using Orleans.Dashboard;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> (admins only, docs/interface.md §12), without the service it starts beside
/// it on every node: a reader that collects all of Orleans' own metrics once a second for the silo page's counter table.
/// Two of those metrics are counted anew at each reading: the requests of every activation, walked under the lock that
/// every new activation takes, and the size of the grain directory's cache. On a node of a district (150,000 activations)
/// that was the busiest code of the node's own (a thread-time profile under load: 1.6 % of all samples in the walk, 0.6 %
/// in the cache, every second, whether anyone had the dashboard open or not). The dashboard's pages (activations, grains,
/// calls, silos) come from its grain and its call profiler, which stay; Orleans' metrics remain at <c>/metrics</c>, read when
/// Prometheus asks.
/// </summary>
public static class OrleansDashboardSetup
{
    public static ISiloBuilder AddOrleansDashboard(this ISiloBuilder silo)
    {
        silo.AddDashboard();
        var dashboard = typeof(DashboardOptions).Assembly;
        foreach (var exporter in silo.Services.Where(d => d.ServiceType == typeof(IHostedService) && ImplementedIn(d) == dashboard).ToList())
        {
            silo.Services.Remove(exporter);
        }

        return silo;
    }

    private static System.Reflection.Assembly? ImplementedIn(ServiceDescriptor service) =>
        (service.ImplementationType ?? service.ImplementationInstance?.GetType() ?? service.ImplementationFactory?.Method.DeclaringType)?.Assembly;
}
