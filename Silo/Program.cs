using Microsoft.Extensions.Options;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Silo.Storage;
using SafetyPatrol.Sites;

SocketCompletions.RunOnEventThreads();

if (StoreCommands.TryRun(args, Console.Out, out var exitCode))
{
    return exitCode;
}

try
{
    var app = SafetyPatrolApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (SiteInvalidException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("SafetyPatrol cannot start: " + string.Join(Environment.NewLine + "  ", ex.Failures));
    return 2;
}

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
