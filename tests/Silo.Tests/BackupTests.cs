using System.Net;
using System.Net.Http.Json;
using SafetyPatrol.Silo.Tests.Infrastructure;

namespace SafetyPatrol.Silo.Tests;

/// <summary>Backup and restore of the embedded store through the Silo program's own commands, as an operator runs them.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ABackupTakenWhileRunningIsRestoredOnlyOnceTheNodeIsStoppedAndBringsBackWhatItHeld()
    {
        var site = E2eSite.WriteTo(_temp.Path);
        var data = Path.Combine(_temp.Path, "data");
        var http = Ports.Free();
        string[] args =
        [
            $"--Urls=http://127.0.0.1:{http}", $"--SafetyPatrol:SiteFile={site}", $"--SafetyPatrol:DataDir={data}",
            "--SafetyPatrol:AdminPassword=backup-pass", "--SafetyPatrol:Mqtt:Port=0",
            $"--SafetyPatrol:SiloPort={Ports.Free()}", $"--SafetyPatrol:GatewayPort={Ports.Free()}",
        ];
        var baseUrl = $"http://127.0.0.1:{http}";
        var backup = Path.Combine(_temp.Path, "nightly.db");

        await using (var node = SiloProcess.Start(args))
        {
            await node.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
            using var admin = await ProcessClients.SignIn(baseUrl, "admin", "backup-pass");
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/users", new { username = "kept", password = "kept-pass-1", role = "operator" })).StatusCode);

            // A second node on the same data folder is refused, naming the folder.
            var second = await Run([.. args.Select(a => a.StartsWith("--Urls") ? $"--Urls=http://127.0.0.1:{Ports.Free()}" : a)]);
            Assert.Equal(2, second.ExitCode);
            Assert.Contains("is in use by another SafetyPatrol node", second.Output);

            var taken = await Run("backup", "--to", backup, $"--SafetyPatrol:DataDir={data}");
            Assert.True(taken.ExitCode == 0, taken.Output);
            Assert.Contains("Done in", taken.Output);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            Assert.Equal(1, (await Run("backup", "--to", backup, $"--SafetyPatrol:DataDir={data}")).ExitCode); // never overwrites

            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/users", new { username = "after", password = "after-pass-1", role = "operator" })).StatusCode);
            var refused = await Run("restore", "--from", backup, $"--SafetyPatrol:DataDir={data}");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("stop it first", refused.Output);
            await node.Terminate(TimeSpan.FromSeconds(30));
        }

        var garbage = Path.Combine(_temp.Path, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database");
        Assert.Equal(1, (await Run("restore", "--from", garbage, $"--SafetyPatrol:DataDir={data}")).ExitCode);

        var restored = await Run("restore", "--from", backup, $"--SafetyPatrol:DataDir={data}");
        Assert.True(restored.ExitCode == 0, restored.Output);
        Assert.Single(Directory.GetDirectories(data, "before-restore-*"));

        await using var again = SiloProcess.Start(args);
        await again.WaitUntilHealthy(baseUrl, TimeSpan.FromSeconds(60));
        using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "kept", password = "kept-pass-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "after", password = "after-pass-1" })).StatusCode);
    }

    public void Dispose() => _temp.Dispose();

    private static async Task<(int ExitCode, string Output)> Run(params string[] args)
    {
        await using var command = SiloProcess.Start(args);
        var code = await command.WaitForExit(TimeSpan.FromSeconds(60));
        return (code, command.Output);
    }
}
