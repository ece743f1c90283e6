using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using SafetyPatrol.Silo.Hosting;

namespace SafetyPatrol.Silo.Tests;

public sealed class OrleansDashboardSetupTests
{
    [Fact]
    public void ANodeHasTheDashboardWithoutTheHostThatReadsAllOfOrleansMetricsEverySecond()
    {
        using var node = Built(silo => silo.AddOrleansDashboard());

        // The dashboard's own parts stay: its call profiler (the figures of its pages).
        Assert.Contains(node.Services.GetServices<IIncomingGrainCallFilter>(), f => f.GetType().Assembly == OrleansDashboardSetup.DashboardHost.Assembly);
        Assert.DoesNotContain(StartedWithTheNode(node), s => s.GetType() == OrleansDashboardSetup.DashboardHost);

        // What it leaves out is there without it: the dashboard starts its host with every node, twice over.
        using var plain = Built(silo => silo.AddDashboard());
        Assert.Equal(2, StartedWithTheNode(plain).Count(s => s.GetType() == OrleansDashboardSetup.DashboardHost));
    }

    private static IHost Built(Action<ISiloBuilder> configure)
    {
        var node = Host.CreateApplicationBuilder();
        node.UseOrleans(silo => configure(silo.UseLocalhostClustering()));
        return node.Build();
    }

    private static IEnumerable<object> StartedWithTheNode(IHost node) =>
        node.Services.GetServices<IHostedService>().Concat<object>(node.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>());
}
