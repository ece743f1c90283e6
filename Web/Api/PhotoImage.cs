using SafetyPatrol.Patrols;
using SkiaSharp;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// Every photo is decoded and encoded again (SkiaSharp) before it is kept, so what is stored and served is only an
/// image: no metadata (a phone's EXIF carries where it was taken), no bytes after the image, nothing that merely starts
/// like one. It keeps its type, and is turned upright as the camera's orientation tag says, since that tag goes too.
/// </summary>
public static class PhotoImage
{
    /// <summary>The most pixels decoded: a small file can claim a huge picture.</summary>
    public const long MaxPixels = 40_000_000;

    private const int Quality = 85;

    /// <summary>The photo as stored, or the problem (and its status) with what was sent.</summary>
    public sealed record Result(byte[]? Data, string? ContentType, ProblemText? Problem = null, int Status = StatusCodes.Status415UnsupportedMediaType);

    public static Result Clean(byte[] data)
    {
        if (Photo.Sniff(data) is not { } type)
        {
            return new Result(null, null, ProblemText.Of("photo.type"));
        }

        using var codec = SKCodec.Create(new SKMemoryStream(data));
        if (codec is null)
        {
            return new Result(null, null, ProblemText.Of("photo.unreadable", ("type", type[6..].ToUpperInvariant())));
        }

        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return new Result(null, null, ProblemText.Of("photo.pixels", ("max", MaxPixels / 1_000_000), ("width", codec.Info.Width), ("height", codec.Info.Height)),
                StatusCodes.Status413PayloadTooLarge);
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        if (codec.GetPixels(info, decoded.GetPixels()) != SKCodecResult.Success)
        {
            return new Result(null, null, ProblemText.Of("photo.partial", ("type", type[6..].ToUpperInvariant())));
        }

        using var upright = Upright(decoded, codec.EncodedOrigin);
        var format = type switch
        {
            "image/png" => SKEncodedImageFormat.Png,
            "image/webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Jpeg,
        };
        using var encoded = (upright ?? decoded).Encode(format, Quality);
        return encoded is null ? new Result(null, null, ProblemText.Of("photo.notStored")) : new Result(encoded.ToArray(), type);
    }

    /// <summary>The picture as the orientation tag says to show it; null when it already is.</summary>
    private static SKBitmap? Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return null;
        }

        // Where each stored pixel (x, y) goes: x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY.
        float w = source.Width, h = source.Height;
        var (matrix, turned) = origin switch
        {
            SKEncodedOrigin.TopRight => (new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1), false),
            SKEncodedOrigin.BottomRight => (new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), false),
            SKEncodedOrigin.BottomLeft => (new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1), false),
            SKEncodedOrigin.LeftTop => (new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1), true),
            SKEncodedOrigin.RightTop => (new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1), true),
            SKEncodedOrigin.RightBottom => (new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), true),
            _ => (new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1), true), // LeftBottom
        };
        var result = new SKBitmap(new SKImageInfo(turned ? source.Height : source.Width, turned ? source.Width : source.Height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        return result;
    }
}
