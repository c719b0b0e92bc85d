using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Api.OpenApi;

namespace Api.Tests;

/// <summary>The served OpenAPI document names every error answer of every operation as problem details.</summary>
[Collection(CoHostedCollection.Name)]
public sealed class OpenApiDocumentTests(CoHostedApiFixture fixture)
{
    private static readonly Dictionary<string, int[]> ErrorsBeyondTheCommonOnes = new()
    {
        ["Process"] = [401],
        ["CreateSession"] = [],
        ["GetSession"] = [401],
        ["DeleteSession"] = [401],
        ["StartTask"] = [401, 409, 413, 415, 422],
        ["ListTasks"] = [401],
        ["GetTask"] = [401, 404],
        ["CancelTask"] = [401, 404, 409],
    };

    [Fact]
    public async Task Every_operation_documents_its_error_answers_as_problem_details()
    {
        var operations = await OperationsAsync(fixture.Host);

        Assert.Equal(ErrorsBeyondTheCommonOnes.Keys.Order(), operations.Keys.Order());
        foreach (var (operationId, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            foreach (var status in ProblemResponses.Common.Concat(ErrorsBeyondTheCommonOnes[operationId]))
            {
                var response = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                Assert.True(response?["content"]?["application/problem+json"] is not null, $"{operationId} does not document {status} as problem details.");
            }
        }
    }

    /// <summary>Each operation of the served document by its operationId.</summary>
    internal static async Task<Dictionary<string, JsonObject>> OperationsAsync(ApiHost host)
    {
        using var http = host.CreateHttpClient();
        var document = await http.GetFromJsonAsync<JsonObject>(new Uri("/openapi/v1.json", UriKind.Relative));
        return document!["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(method => method.Value!.AsObject()))
            .ToDictionary(operation => (string)operation["operationId"]!, operation => operation);
    }
}
