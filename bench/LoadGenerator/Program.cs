using System.Diagnostics;
using System.Globalization;
using LoadGenerator;

// Usage: dotnet run --project bench/LoadGenerator -c Release -- process <base-url> <concurrent-calls>
if (args is not ["process", var baseUrl, var countText] || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: LoadGenerator process <base-url> <concurrent-calls>");
    return 2;
}

var result = await ProcessScenario.RunAsync(new Uri(baseUrl), count);
Console.WriteLine(result.Describe());
return result.Errors == 0 ? 0 : 1;
