using System.Reflection;
using Grains.Abstractions;

namespace Api.Tests;

/// <summary>A session grain reference whose session never answers, as one on a silo that hangs: every call stays pending.</summary>
public class SilentSessionGrain : DispatchProxy
{
    public static ISessionGrain Create() => Create<ISessionGrain, SilentSessionGrain>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var returns = targetMethod?.ReturnType ?? typeof(void);
        if (!returns.IsGenericType || returns.GetGenericTypeDefinition() != typeof(Task<>))
        {
            throw new NotSupportedException($"{targetMethod?.Name} is not a call this fake answers.");
        }

        var pending = Activator.CreateInstance(typeof(TaskCompletionSource<>).MakeGenericType(returns.GetGenericArguments()))!;
        return pending.GetType().GetProperty(nameof(TaskCompletionSource<object>.Task))!.GetValue(pending);
    }
}
