using System.Globalization;
using SafetyPatrol.Reports;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>Daily, monthly and shift-handover reports (CONTRACT §10) as JSON, CSV or XLSX.</summary>
public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Each report is of one site (docs/interface.md §13): siteId, or the first the user sees.
        var reports = app.MapGroup("/api/reports").RequireAuthorization(Policies.Reader).InScope();

        reports.MapGet("/daily", async (string? date, string? format, string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? Invalid("date", "A day as yyyy-MM-dd (site time), for example 2026-11-27.")
                : await Answer(await grains.GetGrain<IReportGrain>(0).Daily(day, await scope.SiteFor(http.User, siteId)), siteId, format, http, grains))
                    .WithSummary("The daily safety report of a day (JSON, CSV or Excel)");

        reports.MapGet("/monthly", async (string? month, string? format, string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                ? Invalid("month", "A month as yyyy-MM (site time), for example 2026-11.")
                : await Answer(await grains.GetGrain<IReportGrain>(0).Monthly(first.Year, first.Month, await scope.SiteFor(http.User, siteId)), siteId, format, http, grains))
                    .WithSummary("The monthly safety report of a month (JSON, CSV or Excel)");

        reports.MapGet("/handover", async (DateTimeOffset? from, string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
        {
            if (await grains.GetGrain<IReportGrain>(0).Handover(from, await scope.SiteFor(http.User, siteId)) is not { } handover)
            {
                return NoSite(siteId);
            }

            if (handover.VisitorsOnSite is { Count: > 0 } onSite)
            {
                await VisitorEndpoints.Read(http, grains, null, $"handover report: {onSite.Count} visitor(s) on site");
            }

            return Results.Ok(handover);
        }).WithSummary("The shift handover report since a time: open alarms, overdue inspections, visitors on site");
    }

    private static IResult NoSite(string? siteId) => Results.Problem($"No site '{siteId}'.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> Answer(Report? found, string? siteId, string? format, HttpContext http, IGrainFactory grains)
    {
        if (found is not { } report)
        {
            return NoSite(siteId);
        }

        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            return Invalid("format", "json, csv or xlsx.");
        }

        // The visitor log is visitor records: its reading is audited like theirs.
        if (report.Visitors is { Count: > 0 } visitors)
        {
            await VisitorEndpoints.Read(http, grains, null, $"{report.Kind} report {report.Period}: {visitors.Count} visitor(s)");
        }

        return format switch
        {
            "csv" => ReportTables.Csv(report),
            "xlsx" => ReportTables.Xlsx(report),
            _ => Results.Ok(report),
        };
    }

    private static IResult Invalid(string field, string message) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
