using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>
/// docs/interface.md §8's webhook: the event, delivery id, route, alert, site and console link as JSON,
/// signed with HMAC-SHA256 of the raw body when the channel has a secret.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, AlertText text) : IChannelSender
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Type => "webhook";

    public async Task<SendResult> Send(ChannelOptions channel, Delivery delivery, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = delivery.Event,
            deliveryId = delivery.DeliveryId,
            route = delivery.Route,
            alert = delivery.Alert,
            site = text.Site(delivery.Alert!) is var site ? new { id = site.Id, name = site.Name } : null,
            consoleUrl = text.ConsoleUrl(delivery.AlertId),
        }, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-SafetyPatrol-Event", delivery.Event);
        request.Headers.Add("X-SafetyPatrol-Delivery", delivery.DeliveryId);
        if (channel.Secret is { Length: > 0 } secret)
        {
            request.Headers.Add("X-SafetyPatrol-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        }

        using var response = await http.CreateClient(ChannelHttp.Name).SendAsync(request, cancellationToken);
        return await SendResult.Of(response, cancellationToken);
    }
}
