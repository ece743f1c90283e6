namespace SafetyPatrol.Grains.Notifications;

/// <summary>The <c>SafetyPatrol:Notify</c> settings (docs/interface.md §8): where alerts are sent, and when.</summary>
public sealed class NotifyOptions
{
    public const string Section = "SafetyPatrol:Notify";

    /// <summary>The console's address as people reach it, for links in messages.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Channels by name.</summary>
    public Dictionary<string, ChannelOptions> Channels { get; set; } = [];

    /// <summary>Routes in order; a delivery names its route by index.</summary>
    public List<RouteOptions> Routes { get; set; } = [];
}

public sealed class ChannelOptions
{
    /// <summary><c>webhook</c>, <c>wecom</c>, <c>dingtalk</c>, <c>feishu</c> or <c>email</c>.</summary>
    public string Type { get; set; } = "";

    public string? Url { get; set; }

    /// <summary>Webhook: the HMAC key of <c>X-SafetyPatrol-Signature</c>; DingTalk and Feishu: the robot's signing secret.</summary>
    public string? Secret { get; set; }

    /// <summary>Email: <c>smtp://host:port</c> (STARTTLS when offered) or <c>smtps://host:port</c>.</summary>
    public string? Smtp { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public List<string> To { get; set; } = [];

    /// <summary>The language its messages are written in: <c>zh-CN</c> (the default) or <c>en</c>.</summary>
    public string Language { get; set; } = "zh-CN";
}

public sealed class RouteOptions
{
    public string MinSeverity { get; set; } = Severities.Warning;

    /// <summary>Only alerts of these sites (docs/interface.md §13); none: every site.</summary>
    public List<string>? Sites { get; set; }

    public List<string>? Buildings { get; set; }

    public List<string>? Categories { get; set; }

    public List<string>? Types { get; set; }

    /// <summary>0: notified when raised or reactivated. N: an escalation step, if still unacknowledged N s after raised.</summary>
    public int AfterSeconds { get; set; }

    /// <summary>A reminder every this many seconds after the step while unacknowledged; 0: none.</summary>
    public int RepeatSeconds { get; set; }

    public List<string> Channels { get; set; } = [];
}
