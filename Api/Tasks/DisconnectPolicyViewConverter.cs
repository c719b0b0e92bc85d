using System.Text.Json;
using System.Text.Json.Serialization;

namespace Api.Tasks;

/// <summary>Writes the two shapes of <see cref="DisconnectPolicyView"/> and reads them back.</summary>
internal sealed class DisconnectPolicyViewConverter : JsonConverter<DisconnectPolicyView>
{
    public override DisconnectPolicyView Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(DisconnectPolicyView.ContinueName))
        {
            return DisconnectPolicyView.Continue;
        }

        using var policy = JsonDocument.ParseValue(ref reader);
        return policy.RootElement.TryGetProperty(DisconnectPolicyView.CancelAfterSecondsName, out var seconds)
            ? new DisconnectPolicyView(seconds.GetDouble())
            : throw new JsonException($"onDisconnect is \"{DisconnectPolicyView.ContinueName}\" or has {DisconnectPolicyView.CancelAfterSecondsName}.");
    }

    public override void Write(Utf8JsonWriter writer, DisconnectPolicyView value, JsonSerializerOptions options)
    {
        if (value.CancelAfterSeconds is not { } seconds)
        {
            writer.WriteStringValue(DisconnectPolicyView.ContinueName);
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber(DisconnectPolicyView.CancelAfterSecondsName, seconds);
        writer.WriteEndObject();
    }
}
