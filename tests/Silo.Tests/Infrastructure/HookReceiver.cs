using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// A local HTTP server standing in for webhooks and group robots: records every request and answers
/// by path (<c>/ok</c> 200, <c>/flaky</c> 503 twice per delivery then 200, <c>/bad</c> 400, <c>/slow</c>
/// holds the request until released; the robots answer as their platforms do).
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<HookRequest> _received = [];
    private readonly HashSet<HookRequest> _taken = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> _flakyTries = new();
    private readonly TaskCompletionSource _releaseSlow = new();

    public HookReceiver(int port)
    {
        Port = port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.Run(Answer);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public Task Start() => _app.StartAsync();

    /// <summary>The first request to that path matching the predicate not returned before; others stay for their own turn.</summary>
    public async Task<HookRequest> Next(string path, Func<HookRequest, bool>? match = null, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            Task arrived;
            lock (_received)
            {
                var found = _received.FirstOrDefault(r => r.Path == path && !_taken.Contains(r) && (match is null || match(r)));
                if (found is not null)
                {
                    _taken.Add(found);
                    return found;
                }

                arrived = _arrived.Task;
            }

            await arrived.WaitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _releaseSlow.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task Answer(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new HookRequest(context.Request.Path, context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        lock (_received)
        {
            _received.Add(request);
            _arrived.TrySetResult();
            _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        switch (request.Path)
        {
            case "/flaky" when _flakyTries.AddOrUpdate(request.Header("X-SafetyPatrol-Delivery"), 1, (_, n) => n + 1) <= 2:
                context.Response.StatusCode = 503;
                break;
            case "/bad":
                context.Response.StatusCode = 400;
                break;
            case "/slow":
                await _releaseSlow.Task;
                break;
            case "/wecom" or "/dingtalk":
                await context.Response.WriteAsJsonAsync(new { errcode = 0, errmsg = "ok" });
                break;
            case "/feishu":
                await context.Response.WriteAsJsonAsync(new { code = 0, msg = "success" });
                break;
        }
    }
}

public sealed record HookRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
