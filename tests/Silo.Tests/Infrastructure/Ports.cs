using System.Net;
using System.Net.Sockets;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// Ports for the servers tests start. They are taken below the kernel's ephemeral range (32768 and up), where
/// outgoing connections of other tests running at the same time (clients, Orleans, PostgreSQL) would otherwise
/// hold the port a server is about to bind; and none is handed out twice in one test run.
/// </summary>
public static class Ports
{
    private const int Lowest = 10_000;
    private const int BelowEphemeral = 32_000;
    private static readonly HashSet<int> Given = [];

    /// <summary>A TCP port free on 127.0.0.1 right now, not given to another test.</summary>
    public static int Free() => FreeRange(1);

    /// <summary>The first of <paramref name="count"/> consecutive TCP ports all free on 127.0.0.1 right now.</summary>
    public static int FreeRange(int count)
    {
        lock (Given)
        {
            while (true)
            {
                var first = Random.Shared.Next(Lowest, BelowEphemeral - count);
                var range = Enumerable.Range(first, count).ToList();
                if (range.All(p => !Given.Contains(p) && IsFree(p) && CanBind(p)))
                {
                    range.ForEach(p => Given.Add(p));
                    return first;
                }
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

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
