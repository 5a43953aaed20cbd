using Csms.Grains.Interfaces.ApiKeys;

namespace Csms.Gateway.Api.Security;

/// <summary>The operator API's access settings, bound from the <c>Api</c> configuration section.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// An admin key for automation (environment variable <c>Api__AdminKey</c>). If no key and no JWT issuer is
    /// configured, standalone mode generates one and prints it at start-up.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>Keys given by configuration, as SHA-256 hashes (<c>dotnet run --project src/Gateway -- hash-key KEY</c>).</summary>
    public List<ConfiguredApiKey> Keys { get; set; } = [];

    /// <summary>Optional bearer tokens from an identity provider.</summary>
    public ApiJwtOptions Jwt { get; set; } = new();

    /// <summary>How often a gateway re-reads the keys created through the API (a key created on another gateway works here after this).</summary>
    public int KeyRefreshSeconds { get; set; } = 10;

    /// <summary>The longest <c>?wait=</c> a command request may ask for.</summary>
    public int MaxWaitSeconds { get; set; } = 120;
}

public sealed class ConfiguredApiKey
{
    public string Name { get; set; } = "";

    public ApiRole Role { get; set; } = ApiRole.Viewer;

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public string Sha256 { get; set; } = "";
}

public sealed class ApiJwtOptions
{
    /// <summary>OpenID Connect issuer whose signing keys are discovered (e.g. https://login.example.com/realms/csms).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>Alternatively a shared HMAC secret (at least 32 bytes) for an in-house issuer; used when no Authority is set.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The issuer to require with <see cref="SigningKey"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The claim that carries viewer / operator / admin.</summary>
    public string RoleClaim { get; set; } = "roles";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
