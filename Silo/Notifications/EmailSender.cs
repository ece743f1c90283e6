using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SafetyPatrol.Grains.Notifications;
using SafetyPatrol.Notifications;

namespace SafetyPatrol.Silo.Notifications;

/// <summary>Email over SMTP with MailKit: STARTTLS when the server offers it (<c>smtp://</c>), TLS from the start with <c>smtps://</c>.</summary>
public sealed class EmailSender(AlertText text) : IChannelSender
{
    public string Type => "email";

    public async Task<SendResult> Send(ChannelOptions channel, Delivery delivery, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(channel.From!));
        message.To.AddRange(channel.To.Select(MailboxAddress.Parse));
        message.Subject = $"{text.Title(delivery, channel.Language)} · {text.Place(delivery.Alert!)}";
        message.Body = new TextPart("plain") { Text = text.Plain(delivery, channel.Language) };
        message.Headers.Add("X-SafetyPatrol-Delivery", delivery.DeliveryId);

        var server = new Uri(channel.Smtp!);
        using var smtp = new SmtpClient { Timeout = (int)ChannelHttp.Timeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(server.Host, server.Port > 0 ? server.Port : 25,
                server.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
            if (channel.Username is { Length: > 0 } user)
            {
                await smtp.AuthenticateAsync(user, channel.Password ?? "", cancellationToken);
            }

            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return SendResult.Done;
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode is >= 500 and < 600)
        {
            // A permanent refusal (unknown mailbox, not allowed): trying again will not help.
            return SendResult.Fail($"SMTP {(int)ex.StatusCode}: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or AuthenticationException or IOException
            or System.Net.Sockets.SocketException)
        {
            return SendResult.Again(ex.Message);
        }
    }
}
