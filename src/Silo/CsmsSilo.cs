using Csms.ServiceDefaults;

namespace Csms.Silo;

/// <summary>Builds the silo application; Program.cs and the tests both start it this way.</summary>
public static class CsmsSilo
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddCsmsSilo();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogWarning(
            "This silo uses localhost clustering and in-memory storage: nothing is persisted."));
        return app;
    }
}
