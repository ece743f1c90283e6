using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetyPatrol.Users;

namespace SafetyPatrol.Web.Auth;

/// <summary>Issues signed bearer tokens. The key persists in DataDir so tokens survive a restart.</summary>
public sealed class TokenService
{
    public const string Issuer = "safetypatrol";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public TokenService(IOptions<WebOptions> options, TimeProvider time, ILogger<TokenService> logger)
    {
        _time = time;
        _lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
        Key = new SymmetricSecurityKey(LoadKey(options.Value, logger));
    }

    public SymmetricSecurityKey Key { get; }

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
            ]),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse(token, (int)_lifetime.TotalSeconds, "Bearer", user.Username, user.Role, user.DisplayName);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKey = Key,
        NameClaimType = "name",
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    private static byte[] LoadKey(WebOptions options, ILogger logger)
    {
        if (options.TokenKey is { Length: > 0 } configured)
        {
            return configured.Length >= 32
                ? Encoding.UTF8.GetBytes(configured)
                : throw new OptionsValidationException("SafetyPatrol:TokenKey", typeof(WebOptions), ["SafetyPatrol:TokenKey must be at least 32 characters long."]);
        }

        return KeyFile.ReadOrCreate(Path.Combine(options.DataDir, "token.key"), logger);
    }
}

public sealed record TokenResponse(string AccessToken, int ExpiresIn, string TokenType, string Username, string Role, string? DisplayName);
