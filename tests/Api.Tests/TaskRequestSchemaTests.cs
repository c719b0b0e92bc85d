using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Api.Tasks;
using Grains;
using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Api.Tests;

/// <summary>
/// The task body the OpenAPI document describes is the one the parser takes: every documented kind, field and bound
/// is fed to <see cref="TaskRequestParser"/>, at and beyond its limits, and undocumented fields are refused.
/// </summary>
[Collection(CoHostedCollection.Name)]
public sealed class TaskRequestSchemaTests(CoHostedApiFixture fixture)
{
    private TaskOptions Limits => fixture.Host.Services.GetRequiredService<IOptions<TaskOptions>>().Value;

    [Fact]
    public async Task The_documented_kinds_are_the_task_kinds_and_an_undocumented_kind_is_refused()
    {
        var variants = await VariantsAsync();

        var documented = variants.Select(variant => KindOf(variant)).Order();
        var refused = Parse(new JsonObject { ["kind"] = "undocumented" });

        Assert.Equal(Enum.GetNames<SessionTaskKind>().Select(name => name.ToLowerInvariant()).Order(), documented);
        Assert.Equal("kind", refused?.Field);
    }

    [Fact]
    public async Task Each_documented_amount_is_taken_within_its_bounds_and_refused_beyond_them()
    {
        foreach (var variant in await VariantsAsync())
        {
            var (field, schema) = AmountOf(variant);
            var (minimum, maximum) = (schema["minimum"]!.GetValue<double>(), schema["maximum"]!.GetValue<double>());
            var integer = (string?)schema["type"] == "integer";

            Assert.Null(Parse(Body(variant, field, minimum)));
            Assert.Null(Parse(Body(variant, field, maximum)));
            Assert.Equal(field, Parse(Body(variant, field, integer ? minimum - 1 : minimum / 2))?.Field);
            Assert.Equal(field, Parse(Body(variant, field, integer ? maximum + 1 : maximum * 1.5))?.Field);
            Assert.Equal(field, Parse(new JsonObject { ["kind"] = KindOf(variant) })?.Field);
            if (integer)
            {
                Assert.Equal(field, Parse(Body(variant, field, minimum + 0.5))?.Field);
            }
        }
    }

    [Fact]
    public async Task Fields_the_document_does_not_list_are_refused()
    {
        foreach (var variant in await VariantsAsync())
        {
            Assert.Equal(false, variant["additionalProperties"]?.GetValue<bool>());
            var (field, schema) = AmountOf(variant);
            var body = Body(variant, field, schema["minimum"]!.GetValue<double>());
            body["undocumented"] = 1;

            Assert.Equal("undocumented", Parse(body)?.Field);
        }
    }

    [Fact]
    public async Task Each_documented_disconnect_policy_is_taken_within_its_bounds_and_refused_beyond_them()
    {
        foreach (var variant in await VariantsAsync())
        {
            var (field, schema) = AmountOf(variant);
            var minimumAmount = schema["minimum"]!.GetValue<double>();
            var policies = variant["properties"]!["onDisconnect"]!["oneOf"]!.AsArray();
            var keyword = (string)policies.Single(policy => (string?)policy!["type"] == "string")!["enum"]![0]!;
            var cancel = policies.Single(policy => (string?)policy!["type"] == "object")!;
            var seconds = cancel["properties"]!["cancelAfterSeconds"]!;
            var (minimum, maximum) = (seconds["minimum"]!.GetValue<double>(), seconds["maximum"]!.GetValue<double>());
            JsonObject With(JsonNode policy)
            {
                var body = Body(variant, field, minimumAmount);
                body["onDisconnect"] = policy;
                return body;
            }

            Assert.Null(Parse(With(keyword)));
            Assert.Null(Parse(With(new JsonObject { ["cancelAfterSeconds"] = minimum })));
            Assert.Null(Parse(With(new JsonObject { ["cancelAfterSeconds"] = maximum })));
            Assert.Equal("onDisconnect.cancelAfterSeconds", Parse(With(new JsonObject { ["cancelAfterSeconds"] = minimum / 2 }))?.Field);
            Assert.Equal("onDisconnect.cancelAfterSeconds", Parse(With(new JsonObject { ["cancelAfterSeconds"] = maximum * 1.5 }))?.Field);
            Assert.Equal("onDisconnect.undocumented", Parse(With(new JsonObject { ["cancelAfterSeconds"] = minimum, ["undocumented"] = 1 }))?.Field);
            Assert.Equal("onDisconnect", Parse(With("undocumented"))?.Field);
        }
    }

    private async Task<List<JsonObject>> VariantsAsync()
    {
        var operations = await OpenApiDocumentTests.OperationsAsync(fixture.Host);
        var schema = operations["StartTask"]["requestBody"]!["content"]!["application/json"]!["schema"]!;
        return [.. schema["oneOf"]!.AsArray().Select(variant => variant!.AsObject())];
    }

    private static string KindOf(JsonObject variant) => (string)variant["properties"]!["kind"]!["enum"]![0]!;

    private static (string Field, JsonNode Schema) AmountOf(JsonObject variant)
    {
        var field = variant["required"]!.AsArray().Select(name => (string)name!).Single(name => name != "kind");
        return (field, variant["properties"]![field]!);
    }

    private static JsonObject Body(JsonObject variant, string field, double amount) => new()
    {
        ["kind"] = KindOf(variant),
        [field] = JsonValue.Create(amount),
    };

    /// <summary>Null when the parser takes the body, else the error it names.</summary>
    private TaskRequestError? Parse(JsonObject body)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        return TaskRequestParser.TryParse(document.RootElement, Limits, out _, out var error) ? null : error;
    }
}
