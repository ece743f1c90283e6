using System.Globalization;
using SafetyPatrol.Reports;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>Daily, monthly and shift-handover reports (docs/interface.md §10) as JSON, CSV or XLSX.</summary>
public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Each report is of one site (docs/interface.md §13): siteId, or the first the user sees.
        var reports = app.MapGroup("/api/reports").RequireAuthorization(Policies.Reader).InScope();

        reports.MapGet("/daily", async (string? date, string? format, string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? ApiProblem.Invalid("date", ProblemText.Of("day"))
                : await Answer(await grains.GetGrain<IReportGrain>(0).Daily(day, await scope.SiteFor(http.User, siteId)), siteId, format, http, grains))
                    .WithSummary("The daily safety report of a day (JSON, CSV or Excel)");

        reports.MapGet("/monthly", async (string? month, string? format, string? siteId, HttpContext http, IGrainFactory grains, SiteScope scope) =>
            !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                ? ApiProblem.Invalid("month", ProblemText.Of("month"))
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
                await VisitorEndpoints.Read(http, grains, null, new { report = "handover", visitors = onSite.Count });
            }

            return Results.Ok(handover);
        }).WithSummary("The shift handover report since a time: open alarms, overdue inspections, visitors on site");
    }

    private static IResult NoSite(string? siteId) => ApiProblem.NotFound("noSite", ("id", siteId));

    private static async Task<IResult> Answer(Report? found, string? siteId, string? format, HttpContext http, IGrainFactory grains)
    {
        if (found is not { } report)
        {
            return NoSite(siteId);
        }

        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            return ApiProblem.Invalid("format", ProblemText.Of("format", ("formats", "json, csv, xlsx")));
        }

        // The visitor log is visitor records: its reading is audited like theirs.
        if (report.Visitors is { Count: > 0 } visitors)
        {
            await VisitorEndpoints.Read(http, grains, null, new { report = report.Kind, period = report.Period, visitors = visitors.Count });
        }

        return format switch
        {
            "csv" => ReportTables.Csv(report),
            "xlsx" => ReportTables.Xlsx(report),
            _ => Results.Ok(report),
        };
    }
}
