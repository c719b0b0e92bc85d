using System.Globalization;
using System.Text.Json;
using Api.Protocol;
using Grains;
using Grains.Abstractions;
using static Api.Tasks.TaskRequestShape;

namespace Api.Tasks;

/// <summary>
/// Reads a task request strictly: unknown kinds, missing, extra or mistyped fields and out-of-range
/// values are refused with the name of the field, so a client learns exactly what to fix.
/// </summary>
/// <remarks>
/// The fields, kinds and bounds come from <see cref="TaskRequestShape"/>, which the OpenAPI schema is written from.
/// </remarks>
internal static class TaskRequestParser
{
    /// <param name="envelope">Fields of an enclosing message (the socket protocol's <c>type</c>, <c>ref</c>) to ignore.</param>
    public static bool TryParse(
        JsonElement body, TaskOptions limits, out TaskSpec spec, out TaskRequestError error, IReadOnlyCollection<string>? envelope = null)
    {
        spec = null!;
        error = default;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = new("$", "The body must be a JSON object such as {\"kind\":\"sleep\",\"seconds\":5}.");
            return false;
        }

        if (!body.TryGetProperty(Kind, out var kind) || kind.ValueKind != JsonValueKind.String)
        {
            error = new(Kind, "Required: \"sleep\" or \"cpu\".");
            return false;
        }

        return kind.GetString() switch
        {
            Sleep => TryParseSleep(body, limits, envelope ?? [], out spec, out error),
            Cpu => TryParseCpu(body, limits, envelope ?? [], out spec, out error),
            var other => Fail($"Unknown kind \"{other}\": use \"sleep\" or \"cpu\".", Kind, out spec, out error),
        } && TryParseDisconnectPolicy(body, limits, ref spec, out error);
    }

    private static bool TryParseSleep(
        JsonElement body, TaskOptions limits, IReadOnlyCollection<string> envelope, out TaskSpec spec, out TaskRequestError error)
    {
        if (!AllFieldsKnown(body, SleepFields, envelope, out spec, out error))
        {
            return false;
        }

        if (!body.TryGetProperty(Seconds, out var seconds) || seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetDouble(out var value)
            || value < MinSeconds || value > limits.MaxSeconds)
        {
            var max = limits.MaxSeconds.ToString(CultureInfo.InvariantCulture);
            return Fail($"Required: a number of seconds from {MinSecondsText} to {max}.", Seconds, out spec, out error);
        }

        spec = TaskSpec.Sleep(TimeSpan.FromSeconds(value));
        return true;
    }

    private static bool TryParseCpu(
        JsonElement body, TaskOptions limits, IReadOnlyCollection<string> envelope, out TaskSpec spec, out TaskRequestError error)
    {
        if (!AllFieldsKnown(body, CpuFields, envelope, out spec, out error))
        {
            return false;
        }

        if (!body.TryGetProperty(Work, out var work) || work.ValueKind != JsonValueKind.Number || !work.TryGetInt64(out var rounds) || rounds < MinWork || rounds > limits.MaxWork)
        {
            var max = limits.MaxWork.ToString(CultureInfo.InvariantCulture);
            return Fail($"Required: a whole number of hashing rounds from {MinWork} to {max}.", Work, out spec, out error);
        }

        spec = TaskSpec.Cpu(rounds);
        return true;
    }

    /// <summary><c>"onDisconnect": "continue"</c> (the default) or <c>{"cancelAfterSeconds": N}</c>.</summary>
    private static bool TryParseDisconnectPolicy(JsonElement body, TaskOptions limits, ref TaskSpec spec, out TaskRequestError error)
    {
        error = default;
        if (!body.TryGetProperty(OnDisconnect, out var policy) || policy is { ValueKind: JsonValueKind.String } && policy.ValueEquals(Continue))
        {
            return true;
        }

        var max = limits.MaxCancelAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var hint = $"Use \"continue\" or {{\"cancelAfterSeconds\": N}} with N from {MinSecondsText} to {max}.";
        if (policy.ValueKind != JsonValueKind.Object)
        {
            error = new(OnDisconnect, hint);
            return false;
        }

        var seconds = 0.0;
        foreach (var property in policy.EnumerateObject())
        {
            if (property.Name != CancelAfterSeconds || property.Value.ValueKind != JsonValueKind.Number
                || !property.Value.TryGetDouble(out seconds) || seconds < MinSeconds || seconds > limits.MaxCancelAfterSeconds)
            {
                error = new($"{OnDisconnect}.{property.Name}", hint);
                return false;
            }
        }

        if (seconds == 0)
        {
            error = new($"{OnDisconnect}.{CancelAfterSeconds}", hint);
            return false;
        }

        spec = spec with { CancelAfterDisconnect = TimeSpan.FromSeconds(seconds) };
        return true;
    }

    /// <summary>False, with the error naming the first field the kind does not take.</summary>
    private static bool AllFieldsKnown(
        JsonElement body, string[] allowed, IReadOnlyCollection<string> envelope, out TaskSpec spec, out TaskRequestError error)
    {
        if (JsonFields.FirstUnknown(body, allowed, envelope) is { } unknown)
        {
            return Fail($"Unknown field for this kind; allowed: {string.Join(", ", allowed)}.", unknown, out spec, out error);
        }

        spec = null!;
        error = default;
        return true;
    }

    private static bool Fail(string message, string field, out TaskSpec spec, out TaskRequestError error)
    {
        spec = null!;
        error = new(field, message);
        return false;
    }
}
