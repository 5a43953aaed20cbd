using Csms.Gateway.Hosting;
using Csms.ServiceDefaults;

namespace Csms.Gateway;

/// <summary>Builds the gateway application; Program.cs and the end-to-end tests both start it this way.</summary>
public static class CsmsGateway
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json beside the binary, wherever the process is started from (a k8s pod, a script, a test)
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddServiceDefaults();
        builder.AddCsmsGateway();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapCsmsGateway();
        return app;
    }

    /// <summary>Runs the gateway; a configuration error is printed as one clear line and exits with 2.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await Build(args).RunAsync();
            return 0;
        }
        catch (Grains.Hosting.CsmsConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }
}
