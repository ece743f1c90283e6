using SafetyPatrol.Grains.Site;
using Microsoft.Extensions.Options;

namespace SafetyPatrol.Grains.Notifications;

/// <summary>Checks the notification settings at start; every message names its setting.</summary>
public sealed class NotifyOptionsValidator(SiteCatalog catalog) : IValidateOptions<NotifyOptions>
{
    public static readonly string[] ChannelTypes = ["webhook", "wecom", "dingtalk", "feishu", "email"];

    public ValidateOptionsResult Validate(string? name, NotifyOptions options)
    {
        List<string> failures = [];
        if (options.PublicUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            failures.Add($"{NotifyOptions.Section}:PublicUrl '{url}' is not an absolute URL.");
        }

        foreach (var (channelName, channel) in options.Channels)
        {
            var key = $"{NotifyOptions.Section}:Channels:{channelName}";
            if (channel.Language is not ("zh-CN" or "en"))
            {
                failures.Add($"{key}:Language '{channel.Language}' is not one of zh-CN, en.");
            }

            if (!ChannelTypes.Contains(channel.Type))
            {
                failures.Add($"{key}:Type '{channel.Type}' is not one of {string.Join(", ", ChannelTypes)}.");
            }
            else if (channel.Type == "email")
            {
                if (!Uri.TryCreate(channel.Smtp, UriKind.Absolute, out var smtp) || smtp.Scheme is not ("smtp" or "smtps"))
                {
                    failures.Add($"{key}:Smtp '{channel.Smtp}' must be smtp://host:port or smtps://host:port.");
                }

                if (string.IsNullOrWhiteSpace(channel.From) || channel.To.Count == 0)
                {
                    failures.Add($"{key}: an email channel needs From and To.");
                }
            }
            else if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                failures.Add($"{key}:Url '{channel.Url}' must be an http:// or https:// URL.");
            }
        }

        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var key = $"{NotifyOptions.Section}:Routes:{i}";
            if (!Severities.IsValid(route.MinSeverity))
            {
                failures.Add($"{key}:MinSeverity '{route.MinSeverity}' is not one of critical, major, minor, warning.");
            }

            if (route.AfterSeconds < 0 || route.RepeatSeconds < 0 || route.RepeatSeconds > 0 && route.AfterSeconds == 0)
            {
                failures.Add($"{key}: AfterSeconds and RepeatSeconds are 0 or more, and RepeatSeconds needs AfterSeconds (reminders follow an escalation step).");
            }

            // A route of a site that is not there would never be taken: a typo, refused at start.
            foreach (var unknown in (route.Sites ?? []).Where(s => !s.Contains('*') && !catalog.Sites.ContainsKey(s)))
            {
                failures.Add($"{key}:Sites names '{unknown}', which is not a site (the sites are {string.Join(", ", catalog.Sites.Keys)}).");
            }

            if (route.Channels.Count == 0)
            {
                failures.Add($"{key}:Channels is empty.");
            }

            foreach (var missing in route.Channels.Where(c => !options.Channels.ContainsKey(c)))
            {
                failures.Add($"{key}:Channels names '{missing}', which is not under {NotifyOptions.Section}:Channels.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
