using SafetyPatrol.Alerts;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Notifications;

/// <summary>Which routes an alert takes, by severity, site, building, category and type (with <c>*</c> globs).</summary>
public static class NotifyRoutes
{
    public static bool Matches(this RouteOptions route, Alert alert) =>
        Severities.Rank(alert.Severity) <= Severities.Rank(route.MinSeverity)
        && Glob.MatchesAny(route.Sites, alert.SiteId ?? "")
        && Glob.MatchesAny(route.Buildings, alert.BuildingId ?? "")
        && Glob.MatchesAny(route.Categories, alert.Category)
        && Glob.MatchesAny(route.Types, alert.Type);

    /// <summary>The routes notified at once (no <c>AfterSeconds</c>) that this alert matches, by index.</summary>
    public static IEnumerable<int> Immediate(this NotifyOptions options, Alert alert) =>
        Enumerable.Range(0, options.Routes.Count).Where(i => options.Routes[i].AfterSeconds == 0 && options.Routes[i].Matches(alert));

    /// <summary>The escalation steps (routes with <c>AfterSeconds</c>) that this alert matches, by index.</summary>
    public static IEnumerable<int> Steps(this NotifyOptions options, Alert alert) =>
        Enumerable.Range(0, options.Routes.Count).Where(i => options.Routes[i].AfterSeconds > 0 && options.Routes[i].Matches(alert));
}
