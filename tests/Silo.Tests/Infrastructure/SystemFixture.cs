using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SafetyPatrol.Grains;
using SafetyPatrol.Grains.Scheduling;
using SafetyPatrol.Silo.Hosting;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>
/// The whole system in this process on free ports, with a site file and DataDir of its own. Site
/// time (due times, heartbeats, on-delays) runs on a fake clock that starts at the real time and
/// moves only when a test advances it; tokens and the runtime use the real clock.
/// </summary>
public class SystemFixture : IAsyncLifetime
{
    public const string AdminPassword = "admin-pass-1";
    public const string OperatorPassword = "operator-pass-1";
    public const string OfficerPassword = "officer-pass-1";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> _tokens = new();
    private WebApplication? _app;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "sp-e2e-" + Guid.NewGuid().ToString("N"));

    public int HttpPort { get; } = Ports.Free();

    public int MqttPort { get; } = Ports.Free();

    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    /// <summary>The site file the system runs on.</summary>
    public string SiteFile => Path.Combine(DataDir, "site.json");

    public HttpClient Anonymous { get; } = new();

    public IServiceProvider Services => _app!.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Moves site time and waits until every grain it woke has finished.</summary>
    public async Task Advance(TimeSpan by)
    {
        Time.Advance(by);
        await _app!.Services.GetRequiredService<DeadlineScheduler>().WhenIdle();
    }

    /// <summary>Everything the system logs, for tests of what it writes.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Settings a fixture of its own adds to the start; they win over the ones above.</summary>
    protected virtual IEnumerable<string> MoreSettings => [];

    /// <summary>Whether site time is the fake clock; a fixture measuring real latencies runs on the real one.</summary>
    protected virtual bool FakeClock => true;

    /// <summary>The site file's text; a fixture of its own may bring its own site.</summary>
    protected virtual string SiteJson => E2eSite.Json;

    /// <summary>Where a fixture with <see cref="SiteFolder"/> keeps its site files.</summary>
    public string SitesPath => Path.Combine(DataDir, "sites");

    /// <summary>A folder of site files (name → text) instead of the one site file (docs/interface.md §13).</summary>
    protected virtual IReadOnlyDictionary<string, string>? SiteFolder => null;

    /// <summary>What a fixture of its own starts before the system (servers the system is configured to reach).</summary>
    protected virtual Task BeforeStart() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await BeforeStart();
        Directory.CreateDirectory(DataDir);
        var site = SiteFile;
        if (SiteFolder is { } files)
        {
            site = SitesPath;
            Directory.CreateDirectory(site);
            foreach (var (name, text) in files)
            {
                await File.WriteAllTextAsync(Path.Combine(site, name), text);
            }
        }
        else
        {
            await File.WriteAllTextAsync(site, SiteJson);
        }

        _app = SafetyPatrolApp.Build(
        [
            // Every test signs in from 127.0.0.1; the limit itself is tested with a fixture of its own.
            "--SafetyPatrol:SignInsPerAddressPerMinute=100000",
            $"--Urls={BaseUrl}",
            $"--SafetyPatrol:SiteFile={site}",
            $"--SafetyPatrol:DataDir={DataDir}",
            $"--SafetyPatrol:AdminPassword={AdminPassword}",
            $"--SafetyPatrol:Mqtt:Port={MqttPort}",
            $"--SafetyPatrol:SiloPort={Ports.Free()}",
            $"--SafetyPatrol:GatewayPort={Ports.Free()}",
            .. MoreSettings,
        ], builder =>
        {
            if (FakeClock)
            {
                builder.Services.AddKeyedSingleton<TimeProvider>(AppClock.Key, Time);
            }

            builder.Logging.AddProvider(Logs);
        });
        await _app.StartAsync();
        Anonymous.BaseAddress = new Uri(BaseUrl);

        // As a load balancer would: no test before /health says consoles get every event.
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await Anonymous.GetAsync("/health", giveUp.Token)).IsSuccessStatusCode)
        {
            await poll.WaitForNextTickAsync(giveUp.Token);
        }

        var admin = await SignIn("admin", AdminPassword);
        foreach (var (name, password, role) in new[] { ("operator1", OperatorPassword, "operator"), ("officer1", OfficerPassword, "officer") })
        {
            var response = await admin.PostAsJsonAsync("/api/users", new { username = name, password, role, displayName = name });
            response.EnsureSuccessStatusCode();
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A token for the user, signed in once per fixture (sign-ins are rate limited, and slow on purpose).</summary>
    public async Task<string> Token(string username, string password)
    {
        if (_tokens.TryGetValue((username, password), out var cached))
        {
            return cached;
        }

        var response = await Anonymous.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        _tokens[(username, password)] = token;
        return token;
    }

    public async Task<HttpClient> SignIn(string username, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Token(username, password));
        return client;
    }

    public Task<HttpClient> Operator() => SignIn("operator1", OperatorPassword);
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
