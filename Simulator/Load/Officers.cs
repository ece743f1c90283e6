using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyPatrol.Simulator.Clients;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Simulator.Load;

/// <summary>
/// Patrol officers walking the site's checkpoints through the HTTP API, like the officer page does.
/// Check-in latency is measured to the console's <c>checkInRecorded</c>.
/// </summary>
public sealed class Officers(Uri url, IReadOnlyList<CheckpointDefinition> checkpoints, RunMetrics metrics)
{
    public const string Password = "sim-officer-pass";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastVisit = new();
    private readonly ConcurrentDictionary<string, bool> _skipped = new();
    private readonly List<ApiClient> _clients = [];

    /// <summary>Skipping is only a fault worth injecting where a checkpoint falls due within a run.</summary>
    public bool CanSkip => checkpoints.Any(c => c.EveryMinutes <= 3 && !_skipped.ContainsKey(c.Id) && _lastVisit.ContainsKey(c.Id));

    public async Task SignIn(ApiClient admin, int count, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= count; i++)
        {
            var name = $"sim-officer-{i}";
            await admin.Http.PostAsJsonAsync("/api/users", new { username = name, password = Password, role = "officer", displayName = $"模拟巡查员 {i}" }, cancellationToken);
            _clients.Add(await ApiClient.SignIn(url, name, Password, cancellationToken));
        }
    }

    public async Task Walk(double checkInsPerSecond, CancellationToken cancellationToken)
    {
        if (_clients.Count == 0 || checkInsPerSecond <= 0)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(_clients.Count / checkInsPerSecond);
        await Task.WhenAll(_clients.Select((client, i) => Task.Run(async () =>
        {
            var route = checkpoints.Where((_, k) => k % _clients.Count == i).ToList();
            var next = 0;
            try
            {
                while (!cancellationToken.IsCancellationRequested && route.Count > 0)
                {
                    var checkpoint = route[next++ % route.Count];
                    if (!_skipped.ContainsKey(checkpoint.Id))
                    {
                        await CheckIn(client, $"sim-officer-{i + 1}", checkpoint, cancellationToken);
                    }

                    await Task.Delay(interval, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None)));
    }

    /// <summary>Stops visiting one fast checkpoint; returns it and when it falls overdue.</summary>
    public (CheckpointDefinition Checkpoint, DateTimeOffset DueAt)? Skip(Random random)
    {
        var candidates = checkpoints.Where(c => c.EveryMinutes <= 3 && !_skipped.ContainsKey(c.Id) && _lastVisit.ContainsKey(c.Id)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var skipped = candidates[random.Next(candidates.Count)];
        _skipped[skipped.Id] = true;
        return (skipped, _lastVisit[skipped.Id] + TimeSpan.FromMinutes(skipped.EveryMinutes + skipped.GraceMinutes));
    }

    /// <summary>Called for every <c>checkInRecorded</c> the console receives.</summary>
    public void Observe(JsonElement checkIn, DateTimeOffset receivedAt)
    {
        var key = $"{checkIn.GetProperty("checkpointId").GetString()}|{checkIn.GetProperty("officer").GetString()}";
        if (_pending.TryRemove(key, out var sentAt))
        {
            metrics.CheckInLatency(receivedAt - sentAt);
        }
    }

    private async Task CheckIn(ApiClient client, string officer, CheckpointDefinition checkpoint, CancellationToken cancellationToken)
    {
        var key = $"{checkpoint.Id}|{officer}";
        var sentAt = DateTimeOffset.UtcNow;
        _pending[key] = sentAt;
        try
        {
            var response = await client.Http.PostAsJsonAsync("/api/checkins", new { checkpointId = checkpoint.Id, code = checkpoint.Code }, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                // A repeat within a minute: the earlier check-in stands and nothing new is pushed.
                _pending.TryRemove(key, out _);
            }
            else if (response.IsSuccessStatusCode)
            {
                // The server's time of record: our clock and the server's are the same machine's.
                var at = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("at").GetDateTimeOffset();
                _lastVisit[checkpoint.Id] = at > sentAt ? at : sentAt;
            }
            else
            {
                _pending.TryRemove(key, out _);
                metrics.CheckInFailed();
            }
        }
        catch (HttpRequestException)
        {
            _pending.TryRemove(key, out _);
            metrics.CheckInFailed();
        }
    }
}
