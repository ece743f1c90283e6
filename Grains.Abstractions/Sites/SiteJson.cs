using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPatrol.Sites;

/// <summary>How site files are read and written: camelCase, comments and trailing commas allowed.</summary>
public static class SiteJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
