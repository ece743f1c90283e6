namespace SafetyPatrol.Web.Api;

/// <summary>A picture sent as the request body (a photo, a floor plan), read whole up to a limit.</summary>
public static class UploadBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (said by its length, or found while reading; no more is read).</summary>
    public static async Task<byte[]?> Read(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length && length > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
