using Csms.LoadTest;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

// one socket per station, plus room for the runtime's own files
if (FileLimit.Ensure(options.Stations + 256) is { } problem)
{
    Console.Error.WriteLine($"warning: {problem}");
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Console.WriteLine($"{options.Stations} virtual stations, OCPP {options.Version}, scenario {options.Scenario}, {options.DurationSeconds} s against {options.Url}");
var runner = new LoadRunner(options, Console.Out);
var report = await runner.RunAsync(cancel.Token);
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
if (options.ReportFile is { } file)
{
    await File.WriteAllTextAsync(file, report.ToJson());
    await File.WriteAllTextAsync(file + ".md", report.ToMarkdown());
    Console.WriteLine($"report written to {file} and {file}.md");
}
if (runner.Stats.Connections == 0)
{
    // nothing to measure: say why, and fail, so that scripts notice
    Console.Error.WriteLine($"error: no station could connect to {options.Url}: {runner.Stats.LastConnectError ?? "no attempt finished within the run"}");
    return 1;
}
return 0;
