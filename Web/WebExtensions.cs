using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using SafetyPatrol.Web.Api;
using SafetyPatrol.Web.Auth;
using SafetyPatrol.Web.Hubs;

namespace SafetyPatrol.Web;

public static class WebExtensions
{
    /// <summary>The API, the hub and the console; talks to the cluster only through grain interfaces.</summary>
    public static WebApplicationBuilder AddSafetyPatrolWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebOptions>().BindConfiguration("SafetyPatrol");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenService>();
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

                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization(Policies.Add);
        services.AddSignalR();
        services.AddSingleton<ConsoleHubBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleHubBridge>());
        services.AddHealthChecks().AddCheck<ConsoleHubBridge>("console");
        return builder;
    }

    public static WebApplication MapSafetyPatrolWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var files = new EmbeddedFileProvider(typeof(WebExtensions).Assembly, "SafetyPatrol.Web.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealth });
        app.MapAuthEndpoints();
        app.MapSiteEndpoints();
        app.MapAlertEndpoints();
        app.MapPatrolEndpoints();
        app.MapHub<ConsoleHub>(ConsoleHub.Path);
        return app;
    }

    /// <summary>The status, and for each check that is not healthy, why: a person reading /health at 3 a.m. needs the reason.</summary>
    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var problems = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}");
        return context.Response.WriteAsync(string.Join(Environment.NewLine, problems.Prepend(report.Status.ToString())));
    }
}
