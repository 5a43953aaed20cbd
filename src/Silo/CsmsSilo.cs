using Csms.Grains.Hosting;
using Csms.ServiceDefaults;

namespace Csms.Silo;

/// <summary>Builds and runs the silo; Program.cs and the tests both use it.</summary>
public static class CsmsSilo
{
    public static WebApplication Build(string[] args)
    {
        // appsettings.json beside the binary, wherever the process is started from (a k8s pod, a script, a test)
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.AddCsmsSilo();
        var app = builder.Build();
        app.MapServiceDefaults();
        return app;
    }

    /// <summary><c>migrate</c> applies the database schema and exits; anything else runs the silo.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "migrate")
            {
                return await MigrateAsync(args[1..]);
            }
            await Build(args).RunAsync();
            return 0;
        }
        catch (CsmsConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var settings = CsmsClusterSettings.From(builder.Configuration) with { MigrateOnStartup = true };
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        await DatabaseStartup.PrepareAsync(settings, loggers.CreateLogger("Csms.Migrate"));
        return 0;
    }
}
