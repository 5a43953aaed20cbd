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

if (options.SiteAmps is not null)
{
    var probe = new SiteProbe(options, Console.Out);
    try
    {
        var rounds = await probe.RunAsync(cancel.Token);
        var times = rounds.Select(r => r.Milliseconds).Order().ToArray();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"site probe: {rounds.Count} starts on a site of {options.Stations} EVSEs: median {times[times.Length / 2]:F0} ms, max {times[^1]:F0} ms"));
        return 0;
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException)
    {
        Console.Error.WriteLine($"error: site probe: {ex.Message}");
        return 1;
    }
}

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
