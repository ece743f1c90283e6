using System.Text;
using SafetyPatrol.Web.Hubs;

namespace SafetyPatrol.Silo.Hosting;

/// <summary>
/// <c>safetypatrol_console_push_seconds</c> from the first scrape. OpenTelemetry exports a histogram only once something
/// was recorded, so a node that has pushed nothing yet would show a scraper, and its alert rules, no series at all; a
/// Prometheus client exports it at zero from the start. Until the exporter has it, the scrape gets the zero series
/// (<see cref="ConsoleMetrics.ZeroSeries"/>), before OpenMetrics' closing <c># EOF</c>.
/// </summary>
public static class MetricsFromStart
{
    public static void Use(IApplicationBuilder scrape) => scrape.Use(async (context, next) =>
    {
        var body = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        var bytes = buffer.ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        if (context.Response.StatusCode == StatusCodes.Status200OK && !text.Contains(ConsoleMetrics.PrometheusName + "_count", StringComparison.Ordinal))
        {
            var end = text.LastIndexOf("# EOF", StringComparison.Ordinal);
            bytes = Encoding.UTF8.GetBytes(end >= 0 ? text[..end] + ConsoleMetrics.ZeroSeries() + text[end..] : text + ConsoleMetrics.ZeroSeries());
        }

        context.Response.ContentLength = bytes.Length;
        await body.WriteAsync(bytes, context.RequestAborted);
    });
}
