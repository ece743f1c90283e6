namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// Where the runtime completes a socket's reads and writes. By default on Linux its event thread queues each completion
/// to the thread pool, and the transport (Kestrel's, Orleans') then hands the bytes on to its own queue: two hops per
/// message. Completed on the event thread, the transport's receive loop runs there and the message takes one hop, to
/// the transport's queue, where MQTTnet, SignalR and the grains' callers run as before. At 200 connections as fast as
/// they go this took a reading from about 8.5 to 5 µs of CPU on 2 cores (docs/benchmarks-notes.md).
/// </summary>
/// <remarks>
/// Code that awaits a socket itself goes on on the event thread until its next wait. Grains go on on their own
/// scheduler, so here that is only the few services outside them that await Npgsql or HttpClient (the history writer,
/// the notification sender, the store watch), each a few lines before its next wait. Nothing here blocks on a socket
/// synchronously, which on an event thread could wait for itself. An operator turns this off with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>; the runtime reads the variable once, at its first socket, so
/// this runs first in <c>Main</c>.
/// </remarks>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void RunOnEventThreads()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
