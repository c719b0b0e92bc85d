using System.Text.Json;

namespace Sessions.Client;

internal static class ClientJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
