using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPatrol.Sites;

/// <summary>
/// One checklist line (docs/interface.md §10): a plain item (<c>"Door locked"</c>), or an item read off a gauge
/// that names the device and metric it should agree with.
/// </summary>
[JsonConverter(typeof(ChecklistEntryConverter))]
public sealed record ChecklistEntry(string Item, GaugeReading? Reading = null)
{
    public static implicit operator ChecklistEntry(string item) => new(item);
}

/// <summary>The device and metric a gauge on the checklist should agree with, within <see cref="Tolerance"/>.</summary>
public sealed record GaugeReading
{
    public string Device { get; init; } = "";
    public string Metric { get; init; } = "";
    public double Tolerance { get; init; }
}

/// <summary>Reads a checklist entry written either as a string or as <c>{item, reading}</c>; writes plain items as strings.</summary>
public sealed class ChecklistEntryConverter : JsonConverter<ChecklistEntry>
{
    public override ChecklistEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ChecklistEntry(reader.GetString()!);
        }

        var body = JsonSerializer.Deserialize<Body>(ref reader, options) ?? throw new JsonException("A checklist entry is a string or {item, reading}.");
        return new ChecklistEntry(body.Item ?? "", body.Reading);
    }

    public override void Write(Utf8JsonWriter writer, ChecklistEntry value, JsonSerializerOptions options)
    {
        if (value.Reading is null)
        {
            writer.WriteStringValue(value.Item);
        }
        else
        {
            JsonSerializer.Serialize(writer, new Body { Item = value.Item, Reading = value.Reading }, options);
        }
    }

    private sealed record Body
    {
        public string? Item { get; init; }
        public GaugeReading? Reading { get; init; }
    }
}
