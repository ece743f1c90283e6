using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// ASP.NET Core's rate limiter where guessing is cheap (docs/interface.md §11): sign-ins per client address,
/// check-ins per officer. Failures per user and per checkpoint are counted by their grains.
/// Refusals are 429 problem details with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string CheckIn = "check-in";

    public static void Add(RateLimiterOptions options, SafetyPatrolOptions settings)
    {
        // Per address, against trying many accounts from one place; a device that signed in before has a budget of its own,
        // so staff behind a school's single address are not held up by someone else's attempts.
        options.AddPolicy(SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
            (SymmetricKey.From(http.RequestServices.GetRequiredService<TokenService>()) is { } key ? DeviceCookie.Any(http.Request, key) : null) is { } device
                ? "device:" + device
                : http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.SignInsPerAddressPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        options.AddPolicy(CheckIn, http => RateLimitPartition.GetFixedWindowLimiter(
            http.User.UserName(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.CheckInsPerOfficerPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            await TooMany(context.HttpContext, retryAfter).ExecuteAsync(context.HttpContext);
        };
    }

    /// <summary>A 429 with <c>Retry-After</c> in whole seconds.</summary>
    public static IResult TooMany(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblem.Status(StatusCodes.Status429TooManyRequests, ProblemText.Of("tooMany", ("seconds", seconds)));
    }
}
