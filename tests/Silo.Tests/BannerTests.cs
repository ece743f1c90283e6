using System.Net;
using System.Net.NetworkInformation;
using SafetyPatrol.Silo.Hosting;

namespace SafetyPatrol.Silo.Tests;

public sealed class BannerTests
{
    [Fact]
    public void AnAddressListeningOnEveryInterfaceIsShownAsTheAddressesPhonesCanReach()
    {
        var mine = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address.ToString()).ToHashSet();

        var shown = Banner.Reachable("http://0.0.0.0:5080").ToList();

        Assert.NotEmpty(shown);
        Assert.All(shown, url =>
        {
            var uri = new Uri(url);
            Assert.Equal(5080, uri.Port);
            Assert.NotEqual("0.0.0.0", uri.Host);
            Assert.True(IPAddress.TryParse(uri.Host, out _) && mine.Contains(uri.Host), url);
        });
        Assert.Equal(["http://127.0.0.1:5080"], Banner.Reachable("http://127.0.0.1:5080"));
    }
}
