using System.Security.Cryptography.X509Certificates;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Ocpp.Security;

/// <summary>Client certificates of security profile 3 stations (section <c>Gateway:Tls</c>).</summary>
public sealed class StationTlsOptions
{
    public const string Section = "Gateway:Tls";

    /// <summary>PEM (or DER) files of the CA certificates station certificates must chain to. Empty: profile 3 is off.</summary>
    public List<string> ClientCaPaths { get; set; } = [];

    /// <summary>The CSO's name, which the O of a station certificate must contain (2.0.1 A00.FR.404); empty: not checked.</summary>
    public string? Organization { get; set; }
}

/// <summary>
/// Verifies a profile 3 station's client certificate (2.0.1 A00.FR.403–407): the chain to one of the configured CAs
/// (only those: the machine's roots do not count), valid now, for client authentication; O contains the CSO's name;
/// CN is the station's serial number, which must be the identity it connects as.
/// </summary>
public sealed class StationCertificates
{
    private readonly X509Certificate2Collection _roots = [];
    private readonly string? _organization;

    public StationCertificates(StationTlsOptions options)
    {
        foreach (var path in options.ClientCaPaths)
        {
            try
            {
                _roots.ImportFromPemFile(path);
            }
            catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new Grains.Hosting.CsmsConfigurationException($"{StationTlsOptions.Section}:ClientCaPaths: '{path}' could not be read as PEM certificates: {ex.Message}");
            }
        }
        _organization = string.IsNullOrWhiteSpace(options.Organization) ? null : options.Organization;
    }

    /// <summary>Whether profile 3 stations can be accepted at all (CAs are configured).</summary>
    public bool Enabled => _roots.Count > 0;

    /// <summary>Null when the certificate is this station's; otherwise why not. <paramref name="serial"/> is its CN.</summary>
    public string? Problem(X509Certificate2? certificate, string stationId, out string? serial)
    {
        serial = null;
        if (certificate is null)
        {
            return "security profile 3: the station must present its client certificate";
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        if (!chain.Build(certificate))
        {
            var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return $"the station certificate is not valid for this CSMS: {(why.Length > 0 ? why : "it does not chain to a trusted CA")}";
        }
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (_organization is not null && !Organizations(certificate).Any(o => o.Contains(_organization, StringComparison.Ordinal)))
        {
            return $"the station certificate's organization (O) is not '{_organization}'";
        }
        if (!StationIdentity.TryCanonicalize(cn, out var canonical, out _) || canonical != stationId)
        {
            return $"the station certificate is for '{cn}', not for '{stationId}'";
        }
        serial = cn;
        return null;
    }

    /// <summary>The subject's O (organizationName, 2.5.4.10) values.</summary>
    private static IEnumerable<string> Organizations(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue())
            .OfType<string>();
}
