namespace SafetyPatrol.Patrols;

/// <summary>A photo an officer took of a finding (docs/interface.md §10), kept with the check-in that names it.</summary>
[GenerateSerializer, Immutable]
public sealed record Photo(string Id, string ContentType, string UploadedBy, DateTimeOffset At, byte[] Data)
{
    /// <summary>The largest photo taken; the phone page shrinks pictures well below it before sending.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The image type the bytes really are (JPEG, PNG or WebP), whatever the upload said; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;
}

/// <summary>Keeps and serves finding photos.</summary>
public interface IPhotoGrain : IGrainWithIntegerKey
{
    Task<Photo> Save(string contentType, string uploadedBy, byte[] data);

    Task<Photo?> Get(string id);
}
