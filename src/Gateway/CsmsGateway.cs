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
        if (args is ["hash-key", var key])
        {
            // for Api:Keys:N:Sha256: keys given by configuration are stored as their hash only
            Console.WriteLine(Api.Security.ApiKeys.Hash(key));
            return 0;
        }
        if (args is ["new-key"])
        {
            var generated = Api.Security.ApiKeys.Generate();
            Console.WriteLine($"key:    {generated}\nsha256: {Api.Security.ApiKeys.Hash(generated)}");
            return 0;
        }
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
