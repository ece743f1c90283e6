using System.Globalization;
using SafetyPatrol.Patrols;
using SafetyPatrol.Web.Auth;

namespace SafetyPatrol.Web.Api;

/// <summary>A district bureau's view over many sites (docs/interface.md §13): the overview, and compliance by month.</summary>
public static class DistrictEndpoints
{
    public static void MapDistrictEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/district", async (HttpContext http, IGrainFactory grains) =>
            await grains.GetGrain<IDistrictGrain>(0).Overview(SiteScope.Filter(http.User)))
            .WithSummary("Every site the user sees, worst first: worst open severity, open alarms, overdue inspections, compliance over 7 and 30 days")
            .RequireAuthorization(Policies.Reader);

        app.MapGet("/api/reports/compliance", async (string? month, string? format, HttpContext http, IGrainFactory grains) =>
        {
            if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                return ApiProblem.Invalid("month", ProblemText.Of("month"));
            }

            if (format is not (null or "json" or "csv" or "xlsx"))
            {
                return ApiProblem.Invalid("format", ProblemText.Of("format", ("formats", "json, csv, xlsx")));
            }

            var sites = await grains.GetGrain<IDistrictGrain>(0).Monthly(first.Year, first.Month, SiteScope.Filter(http.User));
            var name = $"compliance-{first:yyyy-MM}";
            return format switch
            {
                "csv" => ReportTables.Csv(name, Tables(sites)),
                "xlsx" => ReportTables.Xlsx(name, Tables(sites)),
                _ => Results.Ok(sites),
            };
        })
            .WithSummary("Ledger compliance of every site the user sees over one month (JSON, CSV or Excel)")
            .RequireAuthorization(Policies.Reader);
    }

    private static IReadOnlyList<ReportTables.Table> Tables(IReadOnlyList<SiteCompliance> sites) =>
    [
        new("合规 Compliance", ["站点 Site", "名称 Name", "月份 Month", "巡检点 Checkpoints", "按时 On time", "漏检 Missed", "按时率 On-time rate"],
            [.. sites.Select(s => (IReadOnlyList<object?>)[s.Id, s.Name, s.Month, s.Checkpoints, s.Counts.OnTime, s.Counts.Missed, s.Counts.Rate])]),
    ];
}
