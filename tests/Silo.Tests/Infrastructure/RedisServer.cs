using System.Diagnostics;
using System.Net.Sockets;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>A throwaway Redis from Debian's redis-server on a free port, nothing saved (.ci/run installs it).</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(int port, Process process) => (Port, _process) = (port, process);

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> Start()
    {
        var port = Ports.Free();
        var process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server is missing: apt-get install redis-server (.ci/run does).");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(port, process);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // Not listening yet: the connection attempt is itself the wait.
                await process.WaitForExitAsync(new CancellationTokenSource(100).Token).ContinueWith(_ => { });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
