using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>The built system started as its own process, as a user starts it, so it can be killed with -9.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the Silo program (the whole system on one node).</summary>
    public static SiloProcess Start(params string[] args) => StartProgram("Silo", args);

    /// <summary>Starts the Web program alone: a front end of a running silo.</summary>
    public static SiloProcess StartWeb(params string[] args) => StartProgram("Web", args);

    /// <summary>Runs the simulator's command line, as a load tester does.</summary>
    public static SiloProcess StartSimulator(params string[] args) => StartProgram("Simulator", args);

    private static SiloProcess StartProgram(string project, string[] args)
    {
        // The program's own output, built with this test project (same configuration and framework).
        var testBin = AppContext.BaseDirectory;
        var programBin = testBin.Replace(Path.Combine("tests", "Silo.Tests"), project);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = programBin,
        };
        start.ArgumentList.Add(Path.Combine(programBin, $"SafetyPatrol.{project}.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new SiloProcess(Process.Start(start)!);
    }

    /// <summary>Runs a script of the repository (from its top folder) with these environment variables.</summary>
    public static SiloProcess StartScript(string script, IReadOnlyDictionary<string, string> environment)
    {
        var top = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(top, "SafetyPatrol.sln")))
        {
            top = Path.GetDirectoryName(top.TrimEnd(Path.DirectorySeparatorChar))!;
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = top };
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new SiloProcess(Process.Start(start)!);
    }

    /// <summary>Asks the process to stop (SIGTERM, as <c>kill</c> does), and waits for it.</summary>
    public async Task Terminate(TimeSpan within)
    {
        using var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await signal.WaitForExitAsync();
        await WaitForExit(within);
    }

    public async Task<int> WaitForExit(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for <c>/health</c> to answer 200, or fails with the process output.</summary>
    public async Task WaitUntilHealthy(string baseUrl, TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntil(async () => (await http.GetAsync("/health")).IsSuccessStatusCode, within, "healthy");
    }

    /// <summary>
    /// Asks again and again until the answer is yes, or fails with the process output. A call that
    /// cannot connect yet or outlives its timeout counts as no.
    /// </summary>
    public async Task WaitUntil(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The process exited while waiting until {what}:\n" + Output);
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or one call outlived its timeout: ask again until the deadline.
            }

            // Waiting on a separate process: nothing to await but the process itself.
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(200)).Token).ContinueWith(_ => { });
        }

        Assert.Fail($"Not {what} within {within}:\n" + Output);
    }

    /// <summary>Ends the process the hard way: SIGKILL, no shutdown code runs.</summary>
    public async Task Kill()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Kill();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

public static class Json
{
    public static async Task<JsonElement> Read(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
