using Microsoft.Extensions.Options;

namespace Csms.Gateway.Api.Security;

/// <summary>Prints the generated standalone admin key, or warns that the operator API refuses everything.</summary>
public sealed class ApiKeyBanner(
    GeneratedAdminKey generated,
    IOptions<ApiOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ApiKeyBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var o = options.Value;
            if (generated.Key is { } key)
            {
                logger.LogWarning("Operator API admin key (generated for this process; set Api__AdminKey to choose one): {AdminKey}", key);
            }
            else if (string.IsNullOrWhiteSpace(o.AdminKey) && o.Keys.Count == 0 && !o.Jwt.Enabled)
            {
                logger.LogWarning("No operator API credentials are configured (Api:AdminKey, Api:Keys or Api:Jwt): only keys created " +
                    "through the API by an admin are accepted, so set Api__AdminKey to create the first one");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
