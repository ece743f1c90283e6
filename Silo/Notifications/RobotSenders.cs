using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>
/// The group robots of WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书): each its own markdown message
/// and signing. They answer 200 with an error code of their own, which is read: non-zero is failed.
/// </summary>
public abstract class RobotSender(IHttpClientFactory http, AlertText text) : IChannelSender
{
    public abstract string Type { get; }

    protected AlertText Text => text;

    public async Task<SendResult> Send(ChannelOptions channel, Delivery delivery, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        using var response = await http.CreateClient(ChannelHttp.Name).PostAsJsonAsync(Address(channel, now), Body(channel, delivery, now), cancellationToken);
        var result = await SendResult.Of(response, cancellationToken);
        if (!result.Sent)
        {
            return result;
        }

        // {"errcode":0} (WeCom, DingTalk) or {"code":0} (Feishu); anything else says what went wrong.
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(answer);
            var code = json.RootElement.TryGetProperty("errcode", out var e) ? e.GetInt64() : json.RootElement.TryGetProperty("code", out var c) ? c.GetInt64() : 0;
            return code == 0 ? SendResult.Done : SendResult.Fail($"{Type} answered {answer}");
        }
        catch (JsonException)
        {
            return SendResult.Done;
        }
    }

    protected virtual string Address(ChannelOptions channel, DateTimeOffset now) => channel.Url!;

    protected abstract object Body(ChannelOptions channel, Delivery delivery, DateTimeOffset now);

    protected static string Sign(string key, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));
}

public sealed class WeComSender(IHttpClientFactory http, AlertText text) : RobotSender(http, text)
{
    public override string Type => "wecom";

    protected override object Body(ChannelOptions channel, Delivery delivery, DateTimeOffset now) =>
        new { msgtype = "markdown", markdown = new { content = Text.Markdown(delivery, channel.Language) } };
}

/// <summary>DingTalk signs in the query: <c>timestamp</c> (ms) and <c>sign</c> = Base64(HMAC-SHA256(secret, "timestamp\nsecret")).</summary>
public sealed class DingTalkSender(IHttpClientFactory http, AlertText text) : RobotSender(http, text)
{
    public override string Type => "dingtalk";

    protected override string Address(ChannelOptions channel, DateTimeOffset now)
    {
        if (channel.Secret is not { Length: > 0 } secret)
        {
            return channel.Url!;
        }

        var timestamp = now.ToUnixTimeMilliseconds();
        var sign = Uri.EscapeDataString(Sign(secret, $"{timestamp}\n{secret}"));
        return $"{channel.Url}{(channel.Url!.Contains('?') ? '&' : '?')}timestamp={timestamp}&sign={sign}";
    }

    protected override object Body(ChannelOptions channel, Delivery delivery, DateTimeOffset now) =>
        new { msgtype = "markdown", markdown = new { title = Text.Title(delivery, channel.Language), text = Text.Markdown(delivery, channel.Language) } };
}

/// <summary>Feishu signs in the body: <c>timestamp</c> (s) and <c>sign</c> = Base64(HMAC-SHA256 keyed with "timestamp\nsecret" over nothing).</summary>
public sealed class FeishuSender(IHttpClientFactory http, AlertText text) : RobotSender(http, text)
{
    public override string Type => "feishu";

    protected override object Body(ChannelOptions channel, Delivery delivery, DateTimeOffset now)
    {
        var card = new
        {
            header = new { title = new { tag = "plain_text", content = Text.Title(delivery, channel.Language) } },
            elements = new object[] { new { tag = "markdown", content = Text.Markdown(delivery, channel.Language) } },
        };
        if (channel.Secret is not { Length: > 0 } secret)
        {
            return new { msg_type = "interactive", card };
        }

        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new { timestamp, sign = Sign($"{timestamp}\n{secret}", ""), msg_type = "interactive", card };
    }
}
