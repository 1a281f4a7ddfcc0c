using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>How rule results, bureau reports and events are written to jsonb and NOTIFY payloads: snake_case, enums as text.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };
}
