using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using SafetyPatrol.Devices;

namespace SafetyPatrol.Silo.Mqtt;

/// <summary>Parses a telemetry payload (docs/interface.md §3) or says why it is dropped.</summary>
public static class TelemetryParser
{
    public const int MaxPayloadBytes = 16 * 1024;
    public const int MaxMetrics = 64;

    // A device sends the same few metric names in every reading: each distinct name is made a string once and kept, rather
    // than once per reading (at 20,000 readings/s from 2,000 connections, strings went from 103 to 91 MiB of the node's
    // sampled allocations over 15 s). Bounded, since devices choose the names; past the bound, or for a long or escaped
    // name, a reading's names are its own as before.
    private const int MaxKeptNames = 4096;
    private const int MaxKeptNameLength = 64;
    private static readonly ConcurrentDictionary<string, string> KeptNames = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KeptByChars =
        KeptNames.GetAlternateLookup<ReadOnlySpan<char>>();

    // Counted here: the dictionary's own Count takes every one of its locks, which a device sending new names would make
    // it do for each of them.
    private static int _keptCount;

    public static bool TryParse(ReadOnlySequence<byte> payload, DateTimeOffset receivedAt, out Reading? reading, out DropReason reason)
    {
        reading = null;
        reason = DropReason.None;
        if (payload.Length > MaxPayloadBytes)
        {
            reason = DropReason.TooLarge;
            return false;
        }

        var metrics = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        var at = receivedAt;
        try
        {
            var json = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 2 });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                reason = DropReason.BadPayload;
                return false;
            }

            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("ts"u8))
                {
                    json.Read();
                    if (!TryTimestamp(ref json, out at))
                    {
                        reason = DropReason.BadPayload;
                        return false;
                    }

                    continue;
                }

                var name = Name(ref json);
                json.Read();
                MetricValue value;
                switch (json.TokenType)
                {
                    case JsonTokenType.Number when json.TryGetDouble(out var number) && double.IsFinite(number):
                        value = MetricValue.Of(number);
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        value = MetricValue.Of(json.GetBoolean());
                        break;
                    case JsonTokenType.String:
                        value = MetricValue.Of(json.GetString()!);
                        break;
                    default:
                        reason = DropReason.BadPayload;
                        return false;
                }

                metrics[name] = value;
                if (metrics.Count > MaxMetrics)
                {
                    reason = DropReason.TooManyMetrics;
                    return false;
                }
            }

            if (json.TokenType != JsonTokenType.EndObject || json.Read())
            {
                reason = DropReason.BadPayload;
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            reason = DropReason.BadPayload;
            return false;
        }

        reading = new Reading(at, metrics);
        return true;
    }

    /// <summary>The property name the reader is on, as the string kept for it when there is one.</summary>
    private static string Name(ref Utf8JsonReader json)
    {
        if (json.HasValueSequence || json.ValueIsEscaped || json.ValueSpan.Length > MaxKeptNameLength)
        {
            return json.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxKeptNameLength];
        // Not valid UTF-8: GetString throws, and the reading is dropped as before.
        if (Utf8.ToUtf16(json.ValueSpan, chars, out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return json.GetString()!;
        }

        if (KeptByChars.TryGetValue(chars[..length], out var kept))
        {
            return kept;
        }

        var name = new string(chars[..length]);
        if (Volatile.Read(ref _keptCount) >= MaxKeptNames)
        {
            return name;
        }

        var added = KeptNames.GetOrAdd(name, name);
        if (ReferenceEquals(added, name))
        {
            Interlocked.Increment(ref _keptCount);
        }

        return added;
    }

    private static bool TryTimestamp(ref Utf8JsonReader json, out DateTimeOffset at)
    {
        at = default;
        if (json.TokenType == JsonTokenType.Number && json.TryGetInt64(out var ms) && ms is > 0 and < 253402300799999)
        {
            at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        return json.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(json.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }
}

public enum DropReason
{
    None,
    BadPayload,
    TooLarge,
    TooManyMetrics,
    ForeignTopic,
    UnknownTopic,
    BadStatus,
    Failed,

    /// <summary>The device was taken off the site while connected: the connection is closed, and it is refused from then on.</summary>
    RemovedDevice,
}
