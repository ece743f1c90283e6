namespace SafetyPatrol.Grains.Storage;

/// <summary>
/// Durable bytes per grain with optimistic concurrency: the embedded store (SQLite) backs it on
/// one node, PostgreSQL in cluster mode.
/// </summary>
public interface IGrainStateStore
{
    Task<StoredState?> Read(string stateName, string grainId);

    /// <summary>Writes when <paramref name="expectedEtag"/> matches the stored one (null: none stored); returns the new ETag.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">Someone else wrote in between.</exception>
    Task<string> Write(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedEtag);

    Task Clear(string stateName, string grainId, string? expectedEtag);
}

public sealed record StoredState(byte[] Data, string Etag);
