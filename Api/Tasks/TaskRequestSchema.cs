using System.Globalization;
using System.Text.Json.Nodes;
using Grains;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using static Api.Tasks.TaskRequestShape;

namespace Api.Tasks;

/// <summary>
/// The request body of <c>POST /sessions/{id}/tasks</c> in the OpenAPI document, written from
/// <see cref="TaskRequestShape"/> and the configured <see cref="TaskOptions"/> limits, the same the parser applies.
/// </summary>
internal sealed class TaskRequestSchema(IOptions<TaskOptions> options) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId == nameof(TaskEndpoints.StartTask))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "A sleep or cpu task; any other field is refused with 400 naming it.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Build(options.Value) } },
            };
        }

        return Task.CompletedTask;
    }

    public static OpenApiSchema Build(TaskOptions limits) => new()
    {
        OneOf =
        [
            Variant(Sleep, Seconds, Bounded(JsonSchemaType.Number, MinSecondsText, limits.MaxSeconds, "The wait, in seconds."), limits),
            Variant(Cpu, Work, Bounded(JsonSchemaType.Integer, Text(MinWork), limits.MaxWork, "Rounds of SHA-256."), limits),
        ],
    };

    private static OpenApiSchema Variant(string kind, string amount, OpenApiSchema amountSchema, TaskOptions limits) => new()
    {
        Type = JsonSchemaType.Object,
        AdditionalPropertiesAllowed = false,
        Required = new HashSet<string> { Kind, amount },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            [Kind] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(kind)] },
            [amount] = amountSchema,
            [OnDisconnect] = DisconnectPolicy(limits),
        },
    };

    private static OpenApiSchema DisconnectPolicy(TaskOptions limits) => new()
    {
        Description = $"\"{Continue}\" (the default) or cancel the task once the session has had no open socket for {CancelAfterSeconds}.",
        OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(Continue)] },
            new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalPropertiesAllowed = false,
                Required = new HashSet<string> { CancelAfterSeconds },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    [CancelAfterSeconds] = Bounded(JsonSchemaType.Number, MinSecondsText, limits.MaxCancelAfterSeconds, "Seconds without an open socket."),
                },
            },
        ],
    };

    private static OpenApiSchema Bounded(JsonSchemaType type, string minimum, double maximum, string description) => new()
    {
        Type = type,
        Minimum = minimum,
        Maximum = maximum.ToString(CultureInfo.InvariantCulture),
        Description = description,
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
