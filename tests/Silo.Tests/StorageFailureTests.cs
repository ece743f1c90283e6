using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using System.Security.Cryptography;
using System.Security.Claims;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>
/// The system as a process on a bad day: its disk fills up, its data folder is deleted. Alarms
/// still reach the console, /health says why it is unhealthy, and nothing is lost once storage is back.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly (int Http, int Mqtt) _ports = (Ports.Free(), Ports.Free());

    public void Dispose() => _temp.Dispose();

    private string BaseUrl => $"http://127.0.0.1:{_ports.Http}";

    [Fact]
    public async Task WithTheDiskFullASmokeAlarmIsStillPushedHealthSaysWhyAndTheAlarmIsStoredOnceThereIsRoom()
    {
        // A disk of its own, 24 MiB, so it can be filled without filling the machine's (needs root, as CI runs).
        var disk = Path.Combine(_temp.Path, "disk");
        Directory.CreateDirectory(disk);
        Assert.True(await Run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk) == 0, "mounting a tmpfs needs root");
        try
        {
            var data = Path.Combine(disk, "data");
            await using var silo = Start(data);
            await silo.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(60));
            using var http = await ProcessClients.SignIn(BaseUrl, "admin", "storage-pass");
            await using var console = await ConsoleClient.Connect(BaseUrl, http.DefaultRequestHeaders.Authorization!.Parameter!);

            var filler = Path.Combine(disk, "filler");
            await Run("dd", "if=/dev/zero", $"of={filler}", "bs=1M", "count=64");
            await silo.WaitUntil(async () => await HealthIs(HttpStatusCode.ServiceUnavailable, "free on the disk"), TimeSpan.FromSeconds(15), "unhealthy for lack of space");

            var raised = console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-101");
            await ProcessClients.Publish(_ports.Mqtt, "smoke-101", "s3cr3t", "devices/smoke-101/telemetry", """{"smoke": true}""");
            var alertId = (await raised).GetProperty("id").GetString()!;

            File.Delete(filler);
            await silo.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(30));
            await silo.WaitUntil(async () => (await StoredAlerts(http)).Contains(alertId), TimeSpan.FromSeconds(60), "the alarm is in the alert log");
        }
        finally
        {
            await Run("umount", "-l", disk);
        }
    }

    [Fact]
    public async Task AfterTheDataFolderIsDeletedWhileRunningAlarmsAreStillPushedAndStoredInANewDatabaseThatSurvivesKillDashNine()
    {
        var data = Path.Combine(_temp.Path, "data");
        string alertId;
        await using (var silo = Start(data))
        {
            await silo.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(60));
            using var http = await ProcessClients.SignIn(BaseUrl, "admin", "storage-pass");
            await using var console = await ConsoleClient.Connect(BaseUrl, http.DefaultRequestHeaders.Authorization!.Parameter!);

            Directory.Delete(data, recursive: true);
            var raised = console.Next("alertRaised", a => a.GetProperty("deviceId").GetString() == "smoke-102");
            await ProcessClients.Publish(_ports.Mqtt, "smoke-102", "other-secret", "devices/smoke-102/telemetry", """{"smoke": true}""");
            alertId = (await raised).GetProperty("id").GetString()!;

            await silo.WaitUntil(async () => (await StoredAlerts(http)).Contains(alertId), TimeSpan.FromSeconds(60), "the alarm is in the new database");
            Assert.Contains("a new one was started there", silo.Output);
            await silo.Kill();
        }

        await using var again = Start(data);
        await again.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(60));
        using var signedIn = await ProcessClients.SignIn(BaseUrl, "admin", "storage-pass");
        var alert = await (await signedIn.GetAsync($"/api/alerts/{alertId}")).Read();
        Assert.Equal(("fire.smoke", "open"), (alert.GetProperty("type").GetString(), alert.GetProperty("status").GetString()));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task TheDatabaseKeyAndDataFolderAreReadableByTheirOwnerOnly()
    {
        var data = Path.Combine(_temp.Path, "data");
        await using var silo = Start(data);
        await silo.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(60));
        using var http = await ProcessClients.SignIn(BaseUrl, "admin", "storage-pass");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        foreach (var file in Directory.GetFiles(data))
        {
            Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {File.GetUnixFileMode(file)}");
        }

        Assert.DoesNotContain(Directory.GetFiles(data), f => f.EndsWith("token.key", StringComparison.Ordinal));
        Assert.Contains(Directory.GetFiles(data), f => f.EndsWith("safetypatrol.db-wal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTokenKeyFileOfAnEarlierVersionIsTakenIntoTheDatabaseSoItsTokensStayValidAfterItIsGone()
    {
        var data = Path.Combine(_temp.Path, "data");
        Directory.CreateDirectory(data);
        var key = RandomNumberGenerator.GetBytes(64);
        await File.WriteAllTextAsync(Path.Combine(data, "token.key"), Convert.ToBase64String(key));
        var earlier = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "safetypatrol",
            Audience = "safetypatrol",
            Expires = DateTime.UtcNow.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("name", "admin"), new Claim("role", "admin")]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });

        await using (var silo = Start(data))
        {
            await silo.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(60));
        }

        // The file is not needed any more: the key is in the database, and a token from before still works.
        File.Delete(Path.Combine(data, "token.key"));
        await using var again = Start(data);
        await again.WaitUntilHealthy(BaseUrl, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", earlier);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/site")).StatusCode);
    }

    private SiloProcess Start(string data) => SiloProcess.Start(
        $"--Urls={BaseUrl}", $"--SafetyPatrol:SiteFile={E2eSite.WriteTo(_temp.Path)}", $"--SafetyPatrol:DataDir={data}",
        "--SafetyPatrol:AdminPassword=storage-pass", $"--SafetyPatrol:Mqtt:Port={_ports.Mqtt}",
        "--SafetyPatrol:Storage:CheckSeconds=1", "--SafetyPatrol:Storage:MinFreeMegabytes=8",
        $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}");


    private async Task<bool> HealthIs(HttpStatusCode status, string reason)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var response = await http.GetAsync("/health");
        return response.StatusCode == status && (await response.Content.ReadAsStringAsync()).Contains(reason);
    }

    private static async Task<List<string>> StoredAlerts(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement[]>("/api/alerts?status=all"))!.Select(a => a.GetProperty("id").GetString()!)];


    private static async Task<int> Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
