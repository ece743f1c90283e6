using Orleans.Hosting;

namespace SafetyPatrol.Web.Hosting;

/// <summary>
/// A front end may start before its silos (or while they restart): it keeps trying to reach them
/// instead of exiting, and starts serving once it has.
/// </summary>
public sealed partial class RetryUntilTheClusterAnswers(ILogger<RetryUntilTheClusterAnswers> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogWaiting(exception.Message);
        await Task.Delay(Wait, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster does not answer yet ({Reason}); trying again")]
    private partial void LogWaiting(string reason);
}
