using System.Net;
using System.Text;
using QRCoder;
using SafetyPatrol.Grains;

namespace SafetyPatrol.Web.Print;

/// <summary>
/// The QR code printed at each checkpoint (docs/interface.md §10): it encodes <c>{PublicUrl}/checkin?cp=&amp;code=</c>,
/// which opens the officer page filled in. The sheet is one A4 page of labels after another (name, place, QR).
/// </summary>
public static class CheckpointLabels
{
    /// <summary>The check-in URL: under <c>SafetyPatrol:Notify:PublicUrl</c> when set, else under the host the request came to.</summary>
    public static string CheckInUrl(HttpRequest request, string? publicUrl, CheckpointLabel label)
    {
        var root = string.IsNullOrWhiteSpace(publicUrl) ? $"{request.Scheme}://{request.Host}" : publicUrl.TrimEnd('/');
        // A display's rotating code is typed from the display: the label's URL names only the checkpoint.
        return $"{root}/checkin?cp={Uri.EscapeDataString(label.Id)}" + (label.Code.Length > 0 ? $"&code={Uri.EscapeDataString(label.Code)}" : "");
    }

    /// <summary>A QR code as SVG that scales to whatever box it is put in.</summary>
    public static string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>The printable sheet: a whole HTML page, every text encoded; its layout is <c>print.css</c>.</summary>
    public static string Sheet(string title, IEnumerable<(CheckpointLabel Label, string Url)> labels)
    {
        var html = new StringBuilder($"""
            <!doctype html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><title>{Encode(title)}</title><link rel="stylesheet" href="/print.css"></head>
            <body><main class="sheet">
            """);
        foreach (var (label, url) in labels)
        {
            html.Append($"""
                <article class="label" data-checkpoint="{Encode(label.Id)}">
                <div class="qr">{Svg(url)}</div>
                <h2>{Encode(label.Name)}</h2>
                <p class="place">{Encode(label.BuildingName)} · {Encode(label.RoomName)}</p>
                <p class="code">{Encode(label.Id)} · {Encode(CodeLine(label))}</p>
                <p class="url">{Encode(url)}</p>
                </article>
                """);
        }

        return html.Append("</main></body></html>").ToString();
    }

    /// <summary>The code as printed: a display's is not, one of whole days says until when it works (on the site's clock).</summary>
    private static string CodeLine(CheckpointLabel label) => label switch
    {
        { CodeOnDisplay: true } => "码见显示屏 code on the display",
        { CodeValidUntil: { } until } => $"{label.Code} (有效至 valid until {until:yyyy-MM-dd HH:mm})",
        _ => label.Code,
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
