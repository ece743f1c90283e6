using Microsoft.Extensions.DependencyInjection;
using SafetyPatrol.Web.Auth;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Who can get in, how fast one can guess, and what each role may see: probed through HTTP and the hub.</summary>
[Collection(GuardedSystemCollection.Name)]
public sealed class AccessTests(GuardedSystemFixture system)
{
    [Fact]
    public async Task SignInsFromOneAddressAreLimitedWith429AndRetryAfterWhileAnotherAddressStillSignsIn()
    {
        using var guesser = system.From("127.0.0.2");
        for (var i = 0; i < GuardedSystemFixture.SignInsPerMinute; i++)
        {
            var wrong = await guesser.PostAsJsonAsync("/api/auth/token", new { username = $"nobody{i}", password = "guess-guess" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var refused = await guesser.PostAsJsonAsync("/api/auth/token", new { username = "operator1", password = SystemFixture.OperatorPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, refused.Headers.ToString());

        using var elsewhere = system.From("127.0.0.3");
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.PostAsJsonAsync("/api/auth/token", new { username = "operator1", password = SystemFixture.OperatorPassword })).StatusCode);
    }

    [Fact]
    public async Task GuessingOnePasswordLocksOutTheGuessersAddressOnlyNotTheUser()
    {
        using var guesser = system.From("127.0.0.4");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.PostAsJsonAsync("/api/auth/token", new { username = "operator1", password = $"guess-{i}" })).StatusCode);
        }

        var locked = await guesser.PostAsJsonAsync("/api/auth/token", new { username = "operator1", password = SystemFixture.OperatorPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(4), locked.Headers.ToString());

        using var operatorsDesk = system.From("127.0.0.5");
        Assert.Equal(HttpStatusCode.OK, (await operatorsDesk.PostAsJsonAsync("/api/auth/token", new { username = "operator1", password = SystemFixture.OperatorPassword })).StatusCode);
    }

    [Fact]
    public async Task SomeoneGuessingAPasswordBehindTheUsersAddressDoesNotLockOutTheBrowserTheUserSignedInFromBefore()
    {
        using (var admin = await system.SignIn("admin", SystemFixture.AdminPassword))
        {
            (await admin.PostAsJsonAsync("/api/users", new { username = "principal.nat", password = "principal-1", role = "operator" })).EnsureSuccessStatusCode();
        }

        // One school, one NAT address: the principal's browser signed in before (and keeps its device cookie).
        using var principal = system.From("127.0.0.6");
        Assert.Equal(HttpStatusCode.OK, (await principal.PostAsJsonAsync("/api/auth/token", new { username = "principal.nat", password = "principal-1" })).StatusCode);

        // A student at the same address guesses five times: their own attempts are locked out, the right password too.
        using var student = system.From("127.0.0.6");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await student.PostAsJsonAsync("/api/auth/token", new { username = "principal.nat", password = $"guess-{i}" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await student.PostAsJsonAsync("/api/auth/token", new { username = "principal.nat", password = "principal-1" })).StatusCode);

        // The principal is not.
        Assert.Equal(HttpStatusCode.OK, (await principal.PostAsJsonAsync("/api/auth/token", new { username = "principal.nat", password = "principal-1" })).StatusCode);

        // A made-up device cookie is no device: the address's lockout holds.
        using var forger = system.From("127.0.0.6");
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { username = "principal.nat", password = "principal-1" }) };
        forged.Headers.Add("Cookie", "sp_device_principal.nat=AAAAAAAAAAAAAAAAAAAAAA.bm90LWEtbWFj");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await forger.SendAsync(forged)).StatusCode);

        // Guessing from the principal's own browser locks out that browser.
        for (var i = 0; i < 5; i++)
        {
            await principal.PostAsJsonAsync("/api/auth/token", new { username = "principal.nat", password = $"again-{i}" });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await principal.PostAsJsonAsync("/api/auth/token", new { username = "principal.nat", password = "principal-1" })).StatusCode);
    }

    [Fact]
    public async Task AnUnknownUsernameTakesAboutAsLongToRefuseAsAWrongPassword()
    {
        // Each try from an address of its own, so no limit interferes; medians of five.
        async Task<double> Median(string username, int first)
        {
            List<double> times = [];
            for (var i = 0; i < 5; i++)
            {
                using var client = system.From($"127.0.1.{first + i}");
                var clock = Stopwatch.StartNew();
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/token", new { username, password = "not-the-password" })).StatusCode);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            return times.Order().ElementAt(2);
        }

        var known = await Median("operator1", 10);
        var unknown = await Median("no-such-user", 20);

        // Unhashed, an unknown name answered about 50 times faster; the same work makes the ratio about 1.
        Assert.InRange(unknown / known, 0.25, 4);
    }

    [Fact]
    public async Task ATokenSignedWithTheRightKeyForAUserThatDoesNotExistIsRefused()
    {
        var forged = await Token("ghost", "admin", DateTime.UtcNow.AddHours(1));
        using var http = new HttpClient { BaseAddress = new Uri(system.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/site")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/users", new { username = "mallory", password = "mallory-1", role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task AHubConnectionEndsWhenItsTokenExpires()
    {
        var shortLived = await Token("operator1", "operator", DateTime.UtcNow.AddSeconds(3));
        await using var hub = new HubConnectionBuilder()
            .WithUrl(system.BaseUrl + "/hubs/console", o => o.AccessTokenProvider = () => Task.FromResult<string?>(shortLived))
            .Build();
        var closed = new TaskCompletionSource();
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task DisablingAUserStopsTheirTokenAndEndsTheirHubConnectionAtOnce()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "night-op", password = "night-op-1", role = "operator" })).EnsureSuccessStatusCode();
        var token = await system.Token("night-op", "night-op-1");
        using var nightOp = new HttpClient { BaseAddress = new Uri(system.BaseUrl) };
        nightOp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await nightOp.GetAsync("/api/alerts")).StatusCode);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(system.BaseUrl + "/hubs/console", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var closed = new TaskCompletionSource();
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();

        var disabled = await (await admin.PatchAsJsonAsync("/api/users/night-op", new { disabled = true })).Read();

        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await nightOp.GetAsync("/api/alerts")).StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "night-op", password = "night-op-1" })).StatusCode);
    }

    [Fact]
    public async Task AnOfficerGetsNeitherTheAlarmStreamNorOtherOfficersCheckInsButTheirOwn()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "officer-b", password = "officer-b-1", role = "officer" })).EnsureSuccessStatusCode();
        using var officerA = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var officerB = await system.SignIn("officer-b", "officer-b-1");
        await using var consoleOfA = await ConsoleClient.Connect(system, await system.Token("officer1", SystemFixture.OfficerPassword));
        await using var operatorConsole = await ConsoleClient.Connect(system, await system.Token("operator1", SystemFixture.OperatorPassword));

        foreach (var path in new[] { "/api/alerts", "/api/site", "/api/rounds", "/api/stats", "/api/devices/smoke-101" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await officerA.GetAsync(path)).StatusCode);
        }

        var (exit, output) = await MqttDevices.MosquittoPub(system, "smoke-ops", "ops", "devices/smoke-ops/telemetry", """{"smoke": true}""", qos: 1);
        Assert.True(exit == 0, output);
        await operatorConsole.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-ops");
        (await officerB.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-lonely", code = "PL-SW-9" })).EnsureSuccessStatusCode();
        await operatorConsole.Next("checkInRecorded", c => c.GetProperty("officer").GetString() == "officer-b");
        (await officerA.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-minute", code = "T1-102-0001" })).EnsureSuccessStatusCode();

        // Events reach a connection in the order they were pushed: by its own check-in, officer A has been sent all it will get.
        await consoleOfA.Next("checkInRecorded", c => c.GetProperty("officer").GetString() == "officer1");
        var seen = consoleOfA.Drain();
        Assert.DoesNotContain(seen, e => e.Name is "alertRaised" or "alertUpdated" or "deviceStatusChanged");
        Assert.DoesNotContain(seen, e => e.Name == "checkInRecorded" && e.Payload.GetProperty("officer").GetString() == "officer-b");
    }

    [Fact]
    public async Task WrongCheckpointCodesAreLimitedPerOfficerWhileAnotherOfficerStillChecksIn()
    {
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/users", new { username = "officer-c", password = "officer-c-1", role = "officer" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/users", new { username = "officer-d", password = "officer-d-1", role = "officer" })).EnsureSuccessStatusCode();
        using var guesser = await system.SignIn("officer-c", "officer-c-1");
        for (var i = 0; i < 5; i++)
        {
            var wrong = await guesser.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-phone", code = $"PH-{i:0000}" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        var limited = await guesser.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-phone", code = "PH-4411" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        using var other = await system.SignIn("officer-d", "officer-d-1");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/checkins", new { checkpointId = "cp-phone", code = "PH-4411" })).StatusCode);
    }

    [Fact]
    public async Task FindingsNameOnlyChecklistItemsAndOverlongTextsAreRefusedWithNothingStored()
    {
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        using var admin = await system.SignIn("admin", SystemFixture.AdminPassword);

        var invented = await officer.PostAsJsonAsync("/api/checkins", new
        {
            checkpointId = "cp-ui", code = "UI-7788",
            findings = Enumerable.Range(0, 50).Select(i => new { item = $"invented {i}", ok = false }),
        });
        var longNote = await officer.PostAsJsonAsync("/api/checkins", new
        {
            checkpointId = "cp-ui", code = "UI-7788", findings = new[] { new { item = "Bolts tight", ok = false, note = new string('n', 5_000) } },
        });
        var hugeName = await admin.PostAsJsonAsync("/api/users", new { username = "big-name", password = "big-name-1", role = "officer", displayName = new string('x', 1_000_000) });

        Assert.Equal(HttpStatusCode.BadRequest, invented.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longNote.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, hugeName.StatusCode);
        using var operatorHttp = await system.Operator();
        var alerts = await operatorHttp.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all&limit=1000");
        Assert.DoesNotContain(alerts!, a => a.GetProperty("checkpointId").GetString() == "cp-ui");
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "big-name", password = "big-name-1" })).StatusCode);
    }

    [Fact]
    public async Task NotesLoseBidiOverridesThatWouldMakeThemDisplayAsSomethingElse()
    {
        var (exit, output) = await MqttDevices.MosquittoPub(system, "heat-1", "hot", "devices/heat-1/telemetry", """{"heat": 80}""", qos: 1);
        Assert.True(exit == 0, output);
        using var http = await system.Operator();
        var alert = (await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!.Single(a => a.GetProperty("deviceId").GetString() == "heat-1");

        var acknowledged = await (await http.PostAsJsonAsync($"/api/alerts/{alert.GetProperty("id").GetString()}/acknowledge",
            new { note = "checked \u202Eon site\u202C by guard" })).Read();

        Assert.Equal("checked on site by guard", acknowledged.GetProperty("history").EnumerateArray().Last().GetProperty("note").GetString());
    }

    [Fact]
    public async Task PagesMayNotBeFramedOrSniffedAndTokensAreNotCached()
    {
        var page = await system.Anonymous.GetAsync("/");
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        var token = await system.Anonymous.PostAsJsonAsync("/api/auth/token", new { username = "operator1", password = SystemFixture.OperatorPassword });
        Assert.True(token.Headers.CacheControl?.NoStore, token.Headers.ToString());
    }

    [Fact]
    public async Task UnknownAlertIdsAnswer404AndLeaveNothingActive()
    {
        using var http = await system.Operator();
        var management = system.Grains.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        async Task<int> Alerts() => (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("AlertGrain")).Sum(s => s.ActivationCount);
        var before = await Alerts();

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/alerts/{Guid.NewGuid()}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync($"/api/alerts/{Guid.NewGuid()}/acknowledge", new { note = "x" })).StatusCode);
        }

        // Each deactivates once idle, which takes a moment: asking again is the wait.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await Alerts() > before && DateTime.UtcNow < deadline)
        {
        }

        Assert.Equal(before, await Alerts());
    }

    [Fact]
    public async Task UnknownDeviceAndCheckpointIdsAnswer404WithoutActivatingAnything()
    {
        using var http = await system.Operator();
        using var officer = await system.SignIn("officer1", SystemFixture.OfficerPassword);
        var management = system.Grains.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        async Task<int> Activations(string grainType) =>
            (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains(grainType)).Sum(s => s.ActivationCount);
        var before = (await Activations("DeviceGrain"), await Activations("CheckpointGrain"));

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/devices/random-{Guid.NewGuid():N}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/api/checkpoints/random-{Guid.NewGuid():N}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsJsonAsync("/api/checkins", new { checkpointId = "random-cp", code = "x" })).StatusCode);
        Assert.Equal(before, (await Activations("DeviceGrain"), await Activations("CheckpointGrain")));
    }

    /// <summary>A token made with the system's own key, as someone who has read it from the database could.</summary>
    private Task<string> Token(string name, string role, DateTime expires)
    {
        var key = system.Services.GetRequiredService<TokenService>().Key!;
        return Task.FromResult(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "safetypatrol",
            Audience = "safetypatrol",
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("name", name), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        }));
    }
}
