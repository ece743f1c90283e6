using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using SafetyPatrol.Silo.Hosting;

namespace SafetyPatrol.Silo.Tests;

public sealed class OrleansDashboardSetupTests
{
    private static readonly System.Reflection.Assembly Dashboard = typeof(DashboardOptions).Assembly;

    [Fact]
    public void ANodeHasTheDashboardWithoutTheServiceThatReadsAllOfOrleansMetricsEverySecond()
    {
        var node = Host.CreateApplicationBuilder();
        node.UseOrleans(silo => silo.AddOrleansDashboard());

        // The dashboard's own parts stay: its call profiler (the figures of its pages) and its client.
        Assert.Contains(node.Services, d => d.ServiceType == typeof(IIncomingGrainCallFilter) && d.ImplementationType?.Assembly == Dashboard);
        Assert.Contains(node.Services, d => d.ServiceType.Assembly == Dashboard && d.ServiceType.Name == "IDashboardClient");
        Assert.DoesNotContain(node.Services, StartedByTheDashboard);

        // What it leaves out is there without it: the dashboard still starts a service of its own on every node.
        var plain = Host.CreateApplicationBuilder();
        plain.UseOrleans(silo => silo.AddDashboard());
        Assert.Contains(plain.Services, StartedByTheDashboard);
    }

    private static bool StartedByTheDashboard(ServiceDescriptor service) =>
        service.ServiceType == typeof(IHostedService)
        && (service.ImplementationType ?? service.ImplementationFactory?.Method.DeclaringType)?.Assembly == Dashboard;
}
