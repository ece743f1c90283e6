using System.Net;
using System.Net.Sockets;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A system of its own with tight limits, for the tests that attack it.</summary>
public sealed class GuardedSystemFixture : SystemFixture
{
    public const int ConnectionsPerAddress = 3;
    public const int SignInsPerMinute = 10;

    protected override IEnumerable<string> MoreSettings =>
    [
        "--SafetyPatrol:Mqtt:ConnectTimeoutSeconds=1",
        $"--SafetyPatrol:Mqtt:MaxConnectionsPerAddress={ConnectionsPerAddress}",
        $"--SafetyPatrol:SignInsPerAddressPerMinute={SignInsPerMinute}",
    ];

    /// <summary>An HTTP client whose requests come from another loopback address, as a browser elsewhere on the campus would.</summary>
    public HttpClient From(string address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
    }
}

[CollectionDefinition(Name)]
public sealed class GuardedSystemCollection : ICollectionFixture<GuardedSystemFixture>
{
    public const string Name = "guarded system";
}
