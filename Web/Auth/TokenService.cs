using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

/// <summary>
/// Issues and checks signed bearer tokens. The key is <c>SafetyPatrol:TokenKey</c> when set; otherwise
/// the cluster's own, kept in its store (<see cref="ITokenKeyGrain"/>), so every node and web front end
/// signs alike and tokens survive restarts. Until the key is known, <c>/health</c> says so and no token is
/// issued or accepted.
/// </summary>
public sealed partial class TokenService : BackgroundService, IHealthCheck
{
    public const string Issuer = "safetypatrol";

    /// <summary>The user's session version the token was issued under; a password reset raises it.</summary>
    public const string SessionClaim = "sv";

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly SafetyPatrolOptions _options;
    private readonly IGrainFactory _grains;
    private readonly ILogger<TokenService> _logger;
    private volatile SymmetricSecurityKey? _key;

    public TokenService(IOptions<SafetyPatrolOptions> options, TimeProvider time, IGrainFactory grains, ILogger<TokenService> logger)
    {
        _time = time;
        _options = options.Value;
        _grains = grains;
        _logger = logger;
        _lifetime = TimeSpan.FromMinutes(_options.TokenLifetimeMinutes);
        // Its length was checked with the other settings.
        if (_options.TokenKey is { Length: > 0 } configured)
        {
            _key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
        }
    }

    /// <summary>The signing key, once known.</summary>
    public SymmetricSecurityKey? Key => _key;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_key is not null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The token key has not been read from the cluster yet."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_key is not null)
        {
            return;
        }

        // A key file left by an earlier version is offered first, so the tokens it signed stay valid.
        var offer = KeyFile.TryRead(Path.Combine(_options.DataDir, "token.key"), out var earlier) ? earlier : RandomNumberGenerator.GetBytes(64);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var key = await _grains.GetGrain<ITokenKeyGrain>(0).GetOrCreate(Convert.ToBase64String(offer));
                _key = new SymmetricSecurityKey(Convert.FromBase64String(key));
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogKeyUnavailable(ex, RetryAfter.TotalSeconds);
                await Task.Delay(RetryAfter, stoppingToken);
            }
        }
    }

    public TokenResponse Issue(UserView user)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim("name", user.Username),
                new Claim("role", user.Role),
                new Claim("displayName", user.DisplayName ?? user.Username),
                new Claim(SessionClaim, user.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]),
            SigningCredentials = new SigningCredentials(_key ?? throw new TokenKeyUnavailableException(), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, (int)_lifetime.TotalSeconds, "Bearer", user.Username, user.Role, user.DisplayName)
        {
            Sites = user.Sites,
            SiteRoles = user.SiteRoles,
        };
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKeyResolver = (_, _, _, _) => _key is { } key ? [key] : [],
        NameClaimType = "name",
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token key could not be read from the cluster yet; trying again in {Seconds} s")]
    private partial void LogKeyUnavailable(Exception ex, double seconds);
}

/// <summary>No token can be issued before the key is known (the host is still starting).</summary>
public sealed class TokenKeyUnavailableException() : Exception("The token key is not known yet.");

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string TokenType, string Username, string Role, string? DisplayName)
{
    /// <summary>The user's sites (null: every site), for the pages to know them without asking.</summary>
    public IReadOnlyList<string>? Sites { get; init; }

    /// <summary>The user's role at some sites, where it is not <see cref="Role"/> (docs/interface.md §13).</summary>
    public IReadOnlyDictionary<string, string>? SiteRoles { get; init; }
}
