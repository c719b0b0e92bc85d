using System.Globalization;
using System.Text.Json;
using Grains;
using Grains.Abstractions;

namespace Api.Tasks;

/// <summary>
/// Reads a task request strictly: unknown kinds, missing, extra or mistyped fields and out-of-range
/// values are refused with the name of the field, so a client learns exactly what to fix.
/// </summary>
internal static class TaskRequestParser
{
    public static bool TryParse(JsonElement body, TaskOptions limits, out TaskSpec spec, out TaskRequestError error)
    {
        spec = null!;
        error = default;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = new("$", "The body must be a JSON object such as {\"kind\":\"sleep\",\"seconds\":5}.");
            return false;
        }

        if (!body.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String)
        {
            error = new("kind", "Required: \"sleep\" or \"cpu\".");
            return false;
        }

        return kind.GetString() switch
        {
            "sleep" => TryParseSleep(body, limits, out spec, out error),
            "cpu" => TryParseCpu(body, limits, out spec, out error),
            var other => Fail($"Unknown kind \"{other}\": use \"sleep\" or \"cpu\".", "kind", out spec, out error),
        };
    }

    private static bool TryParseSleep(JsonElement body, TaskOptions limits, out TaskSpec spec, out TaskRequestError error)
    {
        if (!OnlyFields(body, ["kind", "seconds"], out spec, out error))
        {
            return false;
        }

        if (!body.TryGetProperty("seconds", out var seconds) || seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetDouble(out var value)
            || value <= 0 || value > limits.MaxSeconds)
        {
            var max = limits.MaxSeconds.ToString(CultureInfo.InvariantCulture);
            return Fail($"Required: a number of seconds greater than 0 and at most {max}.", "seconds", out spec, out error);
        }

        spec = TaskSpec.Sleep(TimeSpan.FromSeconds(value));
        return true;
    }

    private static bool TryParseCpu(JsonElement body, TaskOptions limits, out TaskSpec spec, out TaskRequestError error)
    {
        if (!OnlyFields(body, ["kind", "work"], out spec, out error))
        {
            return false;
        }

        if (!body.TryGetProperty("work", out var work) || work.ValueKind != JsonValueKind.Number || !work.TryGetInt64(out var rounds) || rounds < 1 || rounds > limits.MaxWork)
        {
            var max = limits.MaxWork.ToString(CultureInfo.InvariantCulture);
            return Fail($"Required: a whole number of hashing rounds from 1 to {max}.", "work", out spec, out error);
        }

        spec = TaskSpec.Cpu(rounds);
        return true;
    }

    private static bool OnlyFields(JsonElement body, string[] allowed, out TaskSpec spec, out TaskRequestError error)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                return Fail($"Unknown field for this kind; allowed: {string.Join(", ", allowed)}.", property.Name, out spec, out error);
            }
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
