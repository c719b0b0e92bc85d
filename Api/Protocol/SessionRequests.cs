using System.Globalization;
using System.Text.Json;
using Api.Observability;
using Api.Tasks;
using Api.WebSockets;
using Grains;
using Grains.Abstractions;

namespace Api.Protocol;

/// <summary>The session socket's requests once authenticated: echo, task.start and task.cancel, each checked and answered.</summary>
internal sealed class SessionRequests(
    ISessionSocket socket,
    ISessionGrain session,
    SessionCallRetry calls,
    ProtocolErrors errors,
    WebSocketLimits limits,
    TaskOptions taskOptions,
    FrontEndMetrics metrics,
    TimeProvider clock,
    CancellationToken ending)
{
    private static readonly string[] Envelope = ["type", "ref", "idempotencyKey"];
    private static readonly string[] EchoFields = ["type", "ref", "data"];
    private static readonly string[] CancelFields = ["type", "ref", "id"];

    public ISessionGrain Session => session;

    public async Task EchoAsync(JsonElement root, JsonElement? reference)
    {
        if (!errors.TryReadRequest(root, EchoFields, "data", "An echo is {\"type\":\"echo\",\"data\":\"<text>\"}.", reference, out var text))
        {
            return;
        }

        var started = metrics.Timestamp();
        var reply = await calls.EchoAsync(session, text);
        metrics.Echoed(started);
        socket.Send(new EchoReply(reply, reference));
    }

    public async Task StartTaskAsync(JsonElement root, JsonElement? reference)
    {
        string? key = null;
        if (root.TryGetProperty("idempotencyKey", out var keyElement) && (keyElement.ValueKind != JsonValueKind.String || !IdempotencyKey.IsValid(key = keyElement.GetString())))
        {
            errors.Report("invalid_field", $"1 to {IdempotencyKey.MaxLength} printable ASCII characters.", "idempotencyKey", reference);
            return;
        }

        if (!TaskRequestParser.TryParse(root, taskOptions, out var spec, out var error, Envelope))
        {
            errors.Report("invalid_field", error.Message, error.Field, reference);
            return;
        }

        var answer = TaskStartAnswer.Of(await StartAsync(spec, key));
        if (answer.Task is { } task)
        {
            socket.Send(new TaskAcceptedMessage(TaskView.From(task), answer.Replayed, reference));
        }
        else if (Refusal(answer.Refusal, reference) is { } refusal)
        {
            socket.Send(refusal);
        }
        else
        {
            socket.OnSessionEnded("The session no longer exists.");
        }
    }

    public async Task CancelTaskAsync(JsonElement root, JsonElement? reference)
    {
        if (!errors.TryReadRequest(root, CancelFields, "id", "A cancel is {\"type\":\"task.cancel\",\"id\":\"<task id>\"}.", reference, out var taskId))
        {
            return;
        }

        var outcome = await session.CancelTask(taskId).WaitAsync(limits.CallTimeout, clock, ending);
        var task = outcome == TaskCancelOutcome.NotFound ? null : await session.GetTask(taskId).WaitAsync(limits.CallTimeout, clock, ending);
        var name = outcome switch
        {
            TaskCancelOutcome.Cancelled => "cancelled",
            TaskCancelOutcome.AlreadyFinished => "already_finished",
            _ => "not_found",
        };
        socket.Send(new TaskCancelResultMessage(taskId, name, task is null ? null : TaskView.From(task), reference));
    }

    /// <summary>
    /// Bounded like every socket call. With an idempotencyKey a repeated start starts nothing new, so it is retried like
    /// an echo while the cluster notices a lost silo; without one, a start sent to a silo that hangs answers 503 (its
    /// detail says a key makes a retry safe) instead of holding the socket for the 30 s response timeout.
    /// </summary>
    private async Task<TaskStartResult> StartAsync(TaskSpec spec, string? key) => key is null
        ? await session.StartTask(spec, key).WaitAsync(limits.CallTimeout, clock, ending)
        : await calls.CallAsync(session, (spec, key), static (session, start, cancellation) => session.StartTask(start.spec, start.key).WaitAsync(cancellation));

    /// <summary>The socket's form of a start that started nothing; null when the session is gone.</summary>
    private ErrorMessage? Refusal(TaskStartRefusal refusal, JsonElement? reference) =>
        TaskStartProblem.Of(refusal, taskOptions.MaxActivePerSession, "idempotencyKey") is { } problem
            ? new ErrorMessage(problem.Status, problem.Code, problem.Detail, problem.Field, reference, problem.RetryAfterSeconds)
            : null;
}
