using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>Sends one delivery through one kind of channel (<c>webhook</c>, <c>wecom</c>, …).</summary>
public interface IChannelSender
{
    string Type { get; }

    /// <summary>Sends once; an exception (timeout, connection) is a result to try again.</summary>
    Task<SendResult> Send(ChannelOptions channel, Delivery delivery, CancellationToken cancellationToken);
}

/// <summary>What one attempt came to: sent, or an error that is or is not worth trying again.</summary>
public sealed record SendResult(bool Sent, bool Retry, string? Error)
{
    public static readonly SendResult Done = new(true, false, null);

    public static SendResult Again(string error) => new(false, true, error);

    public static SendResult Fail(string error) => new(false, false, error);

    /// <summary>2xx is sent; 5xx (and 408, 429) is tried again; any other 4xx is not.</summary>
    public static async Task<SendResult> Of(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return Done;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = $"HTTP {status}: {(body.Length > 200 ? body[..200] : body)}";
        return status is >= 500 or 408 or 429 ? Again(error) : Fail(error);
    }
}
