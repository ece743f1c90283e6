using System.Security.Claims;
using Scalar.AspNetCore;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SafetyPatrol.Users;
using SafetyPatrol.Web.Api;
using SafetyPatrol.Web.Auth;
using SafetyPatrol.Web.Hubs;

namespace SafetyPatrol.Web;

public static class WebExtensions
{
    /// <summary>
    /// The API, the hub and the console; talks to the cluster only through grain interfaces. The host has registered its
    /// settings (<see cref="SafetyPatrolOptions.Register"/>).
    /// </summary>
    public static WebApplicationBuilder AddSafetyPatrolWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenService>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenService>());
        services.AddProblemDetails();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((jwt, tokens) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = tokens.ValidationParameters();
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSockets: the SignalR client sends the token in the query.
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                        && context.Request.Query["access_token"] is { Count: > 0 } token)
                    {
                        context.Token = token;
                    }

                    // The dashboard is a page of its own: the browser carries the admin's token in a cookie made for it.
                    if (context.HttpContext.Request.Path.StartsWithSegments(DashboardAccess.Path)
                        && context.Request.Cookies[DashboardAccess.Cookie] is { Length: > 0 } cookie)
                    {
                        context.Token = cookie;
                    }

                    return Task.CompletedTask;
                },

                // A token is good only while its user exists, is enabled and has the role it names.
                OnTokenValidated = async context =>
                {
                    var name = context.Principal?.Identity?.Name;
                    var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
                    var user = name is null ? null : await grains.GetGrain<IUserGrain>(name).Get();
                    var session = context.Principal?.FindFirst(TokenService.SessionClaim)?.Value ?? "0";
                    if (user is null || user.Disabled || !context.Principal!.IsInRole(user.Role) || session != user.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    {
                        context.Fail("The token's user does not exist, is disabled, has another role now or had its password reset.");
                    }
                    else if (context.Principal!.Identity is ClaimsIdentity identity)
                    {
                        // The account's sites as they are now, not as when the token was issued (docs/interface.md §13);
                        // a page that shows one site narrows them to it, for the API and the hub alike.
                        SiteScope.Apply(identity, user, SiteScope.View(context.HttpContext.Request));
                    }
                },
            };
        });
        services.AddAuthorization(Policies.Add);
        services.AddSignalR();

        // The HTTP API's own reference (docs/interface.md §12): /openapi/v1.json, read at /docs.
        services.AddOpenApi(OpenApiAccess.Add);
        services.AddSingleton<HubSessions>();
        services.AddSingleton<SiteScope>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SafetyPatrolOptions>>((limits, web) => RateLimits.Add(limits, web.Value));
        services.AddSingleton<ConsoleHubBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleHubBridge>());
        services.AddHealthChecks().AddCheck<ConsoleHubBridge>("console").AddCheck<TokenService>("tokens");
        return builder;
    }

    public static WebApplication MapSafetyPatrolWeb(this WebApplication app)
    {
        // A call the cluster could not answer just now (a node is failing over, the store is down) is 503: try again.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is OrleansException or TimeoutException
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError,
        });
        app.Use(SecurityHeaders);
        app.UseStatusCodePages();

        var files = new EmbeddedFileProvider(typeof(WebExtensions).Assembly, "SafetyPatrol.Web.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        app.UseAuthentication();
        app.Use(AuditTrail.Record);
        app.UseAuthorization();
        app.Use(async (http, next) =>
        {
            await SiteScope.NarrowToEndpoint(http);
            await next(http);
        });
        app.UseRateLimiter();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealth });

        // Pages name favicon.svg; what asks for the classic name (the API reference, the dashboard) is sent there.
        app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).WithSummary("The site icon").ExcludeFromDescription();
        app.MapAuthEndpoints();
        app.MapSiteEndpoints();
        app.MapAlertEndpoints();
        app.MapPatrolEndpoints();
        app.MapNotificationEndpoints();
        app.MapAuditEndpoints();
        app.MapTicketEndpoints();
        app.MapPaperworkEndpoints();
        app.MapReportEndpoints();
        app.MapDistrictEndpoints();
        app.MapPlanEndpoints();
        app.MapZoneEndpoints();
        app.MapVisitorEndpoints();
        app.MapHub<ConsoleHub>(ConsoleHub.Path, hub => hub.CloseOnAuthenticationExpiration = true);
        app.MapOpenApi();
        DashboardAccess.Map(app);
        // Served from here, fonts included: a campus network may not reach the internet.
        app.MapScalarApiReference("/docs", o => o.WithTitle("SafetyPatrol API").DisableDefaultFonts());
        return app;
    }

    /// <summary>The status, and for each check that is not healthy, why: a person reading /health at 3 a.m. needs the reason.</summary>
    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var problems = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}");
        return context.Response.WriteAsync(string.Join(Environment.NewLine, problems.Prepend(report.Status.ToString())));
    }

    /// <summary>
    /// The pages load only their own scripts and styles, may not be framed (the Acknowledge and Resolve
    /// buttons cannot be clickjacked), and no answer is sniffed as another type.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        // The API reference page (Scalar) and the Orleans dashboard run inline scripts and styles; nothing else may.
        var reference = context.Request.Path.StartsWithSegments("/docs") || context.Request.Path.StartsWithSegments(DashboardAccess.Path);
        headers.ContentSecurityPolicy = (reference
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; "
                : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; ")
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next();
    }
}
