using Csms.Gateway.Hosting;
using Csms.ServiceDefaults;

namespace Csms.Gateway;

/// <summary>Builds the gateway application; Program.cs and the end-to-end tests both start it this way.</summary>
public static class CsmsGateway
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddCsmsGateway();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapCsmsGateway();
        return app;
    }
}
