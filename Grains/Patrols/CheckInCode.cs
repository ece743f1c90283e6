using System.Text;
using OtpNet;
using SafetyPatrol.Sites;

namespace SafetyPatrol.Grains.Patrols;

/// <summary>
/// A checkpoint's check-in code. Static: the <c>code</c> of the site file, printed on its label. Rotating
/// (<c>rotatingCodeSeconds</c>): a TOTP (RFC 6238: 6 digits, HMAC-SHA-1) keyed by that code, so a photo of the label or
/// the display stops working once the code has changed. A period under a day is standard TOTP, for a small display at
/// the checkpoint (or any authenticator app) provisioned with <see cref="KeyUri"/>; the code just before still counts, for
/// an officer who read it as it changed. A period of whole days counts on the site's wall clock, so a label reprinted
/// each morning carries that day's code, and only that day's.
/// </summary>
public static class CheckInCode
{
    private const int Digits = 6;
    private const int SecondsADay = 86_400;

    public static bool Rotates(CheckpointDefinition checkpoint) => checkpoint.RotatingCodeSeconds is > 0;

    public static bool Matches(CheckpointDefinition checkpoint, string typed, DateTimeOffset now, TimeZoneInfo zone)
    {
        var code = typed.Trim();
        if (checkpoint.RotatingCodeSeconds is not { } period || period <= 0)
        {
            return string.Equals(code, checkpoint.Code, StringComparison.OrdinalIgnoreCase);
        }

        var window = period < SecondsADay ? new VerificationWindow(previous: 1, future: 1) : new VerificationWindow(previous: 0, future: 0);
        return code.Length == Digits && Totp(checkpoint).VerifyTotp(ClockFor(period, now, zone), code, out _, window);
    }

    /// <summary>The code a printed label carries now: the static code, or a rotating code of whole days; null for a display's code.</summary>
    public static string? OnLabel(CheckpointDefinition checkpoint, DateTimeOffset now, TimeZoneInfo zone) => checkpoint.RotatingCodeSeconds switch
    {
        null or <= 0 => checkpoint.Code,
        >= SecondsADay and var period => Totp(checkpoint).ComputeTotp(ClockFor(period, now, zone)),
        _ => null,
    };

    /// <summary>When the code a label printed now stops working (rotating codes of whole days); null when it does not.</summary>
    public static DateTimeOffset? LabelValidUntil(CheckpointDefinition checkpoint, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (checkpoint.RotatingCodeSeconds is not (>= SecondsADay and var period))
        {
            return null;
        }

        // On the site's clock, as the label is read.
        var remaining = TimeSpan.FromSeconds(Totp(checkpoint).RemainingSeconds(ClockFor(period, now, zone)));
        return TimeZoneInfo.ConvertTime(now + remaining, zone);
    }

    /// <summary>The <c>otpauth://</c> URI a display or an authenticator app is set up with; null for a static code.</summary>
    public static string? KeyUri(CheckpointDefinition checkpoint) => Rotates(checkpoint)
        ? $"otpauth://totp/SafetyPatrol:{Uri.EscapeDataString(checkpoint.Id)}?secret={Base32Encoding.ToString(Key(checkpoint)).TrimEnd('=')}"
            + $"&issuer=SafetyPatrol&algorithm=SHA1&digits={Digits}&period={checkpoint.RotatingCodeSeconds}"
        : null;

    private static byte[] Key(CheckpointDefinition checkpoint) => Encoding.UTF8.GetBytes(checkpoint.Code);

    private static Totp Totp(CheckpointDefinition checkpoint) => new(Key(checkpoint), step: checkpoint.RotatingCodeSeconds!.Value, OtpHashMode.Sha1, Digits);

    /// <summary>The time a code is computed for: UTC (standard TOTP), or for whole days the site's wall clock read as UTC, so days turn at local midnight.</summary>
    private static DateTime ClockFor(int period, DateTimeOffset now, TimeZoneInfo zone) =>
        period % SecondsADay == 0 && period >= SecondsADay
            ? DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(now, zone).DateTime, DateTimeKind.Utc)
            : now.UtcDateTime;
}
