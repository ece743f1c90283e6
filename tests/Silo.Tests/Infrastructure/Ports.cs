using System.Net;
using System.Net.Sockets;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first of <paramref name="count"/> consecutive TCP ports all free on 127.0.0.1 right now.</summary>
    public static int FreeRange(int count)
    {
        for (var first = Random.Shared.Next(20_000, 40_000); ; first = Random.Shared.Next(20_000, 40_000))
        {
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }
    }

    /// <summary>True when nothing listens there (a connection is refused).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
