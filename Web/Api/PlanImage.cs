using System.Text;
using System.Xml;
using System.Xml.Linq;
using SafetyPatrol.Patrols;
using SkiaSharp;
using Svg.Skia;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// A floor plan as it is kept (docs/interface.md §13): a PNG or JPEG decoded and encoded again as a photo is
/// (<see cref="PhotoImage"/>); an SVG drawn into a PNG, so what is stored and served is only a picture and no script or
/// link of the drawing survives. Before it is drawn, the SVG is read without its DTD and stripped of scripts, foreign
/// content and every reference outside itself, so drawing it reads no file and fetches nothing.
/// </summary>
public static class PlanImage
{
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The width an SVG is drawn at (its height follows); a wide raster plan keeps its own size.</summary>
    public const int DrawnWidth = 2400;

    /// <summary>The tallest an SVG is drawn: a very tall drawing is drawn narrower.</summary>
    public const int MaxDrawnHeight = 4800;

    private static readonly XNamespace Xlink = "http://www.w3.org/1999/xlink";

    public sealed record Result(byte[]? Data, string? ContentType, int Width = 0, int Height = 0, ProblemText? Problem = null, int Status = StatusCodes.Status415UnsupportedMediaType);

    public static Result Clean(byte[] data)
    {
        if (Photo.Sniff(data) is not null)
        {
            var image = PhotoImage.Clean(data);
            if (image is not { Data: { } cleaned })
            {
                return new Result(null, null, Problem: image.Problem, Status: image.Status);
            }

            var info = SKBitmap.DecodeBounds(cleaned);
            return new Result(cleaned, image.ContentType, info.Width, info.Height);
        }

        return LooksLikeSvg(data) ? Draw(data) : new Result(null, null, Problem: ProblemText.Of("plan.type"));
    }

    private static bool LooksLikeSvg(byte[] data)
    {
        var head = Encoding.UTF8.GetString(data, 0, Math.Min(data.Length, 4096)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith('<') && head.Contains("<svg", StringComparison.OrdinalIgnoreCase);
    }

    private static Result Draw(byte[] data)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(data), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return new Result(null, null, Problem: ProblemText.Of("plan.svgUnreadable", ("reason", ex.Message)));
        }

        if (document.Root is not { Name.LocalName: "svg" } root)
        {
            return new Result(null, null, Problem: ProblemText.Of("plan.svgRoot"));
        }

        Strip(root);
        SKPicture? picture;
        try
        {
            picture = SKSvg.CreateFromSvg(root.ToString(SaveOptions.DisableFormatting)).Picture;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Result(null, null, Problem: ProblemText.Of("plan.svgDraw", ("reason", ex.Message)));
        }

        if (picture is null || picture.CullRect.Width <= 0 || picture.CullRect.Height <= 0)
        {
            return new Result(null, null, Problem: ProblemText.Of("plan.svgSize"));
        }

        var bounds = picture.CullRect;
        var scale = Math.Min(DrawnWidth / bounds.Width, MaxDrawnHeight / bounds.Height);
        var (width, height) = ((int)Math.Ceiling(bounds.Width * scale), (int)Math.Ceiling(bounds.Height * scale));
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            canvas.Translate(-bounds.Left, -bounds.Top);
            canvas.DrawPicture(picture);
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return new Result(encoded.ToArray(), "image/png", width, height);
    }

    /// <summary>Takes out scripts, foreign content, event handlers and every link or style reference that leaves the drawing.</summary>
    private static void Strip(XElement root)
    {
        root.Descendants().Where(e => e.Name.LocalName is "script" or "foreignObject" or "iframe" or "object" or "embed" or "audio" or "video")
            .ToList().ForEach(e => e.Remove());
        foreach (var element in root.DescendantsAndSelf().ToList())
        {
            foreach (var attribute in element.Attributes().ToList())
            {
                var name = attribute.Name.LocalName;
                var outside = name == "href" && !(attribute.Value.StartsWith('#') || attribute.Value.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase));
                if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || outside || attribute.Name == Xlink + "href" && outside
                    || attribute.Value.Contains("url(", StringComparison.OrdinalIgnoreCase) && !attribute.Value.Contains("url(#", StringComparison.OrdinalIgnoreCase))
                {
                    attribute.Remove();
                }
            }

            if (element.Name.LocalName == "style" && (element.Value.Contains("@import", StringComparison.OrdinalIgnoreCase)
                || element.Value.Contains("url(", StringComparison.OrdinalIgnoreCase)))
            {
                element.Remove();
            }
        }
    }
}
