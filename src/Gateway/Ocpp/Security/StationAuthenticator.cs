using System.Text;
using Csms.Gateway.Api.Security;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Ocpp.Security;

/// <summary>The answer to an upgrade: let it through, or refuse it with an HTTP status and a reason the station's operator can act on.</summary>
public sealed record AdmissionDecision(int? RefuseStatus, string Detail, TimeSpan? RetryAfter = null, bool ChallengeBasic = false,
    string? CertificateSerial = null, bool WithPendingPassword = false)
{
    public static readonly AdmissionDecision Admit = new(null, "");

    public bool Admitted => RefuseStatus is null;
}

/// <summary>
/// Authenticates a station's WebSocket upgrade by its security profile (OCPP 1.6 security whitepaper, 2.0.1 Part 2
/// A00): profile 0 needs nothing; profile 1 needs HTTP Basic credentials whose username is the identity in the URL and
/// whose password matches the stored hash (compared in constant time, never logged); a failed attempt counts towards
/// the per-address and per-identity limits.
/// </summary>
public sealed class StationAuthenticator(AuthFailureLimiter limiter, StationCertificates certificates, VerifiedCredentials verified,
    ILogger<StationAuthenticator> logger)
{
    public async Task<AdmissionDecision> DecideAsync(HttpContext context, string stationId, StationAdmission admission)
    {
        if (!admission.Allowed)
        {
            // RejectUnknown: an identity the CSMS does not know is not there at all
            return new AdmissionDecision(StatusCodes.Status404NotFound, $"no station '{stationId}' is registered");
        }
        if (context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>() is { } tls
            && StationTransportSecurity.ProtocolProblem(tls.Protocol) is { } oldTls)
        {
            return new AdmissionDecision(StatusCodes.Status403Forbidden, oldTls);
        }
        if (admission.SecurityProfile == 0)
        {
            return AdmissionDecision.Admit;
        }
        if (admission.SecurityProfile >= 2 && !context.Request.IsHttps)
        {
            // never downgraded: a station registered for TLS is not let in over plain ws://
            return new AdmissionDecision(StatusCodes.Status403Forbidden,
                $"station '{stationId}' uses security profile {admission.SecurityProfile}: connect with wss:// (TLS)");
        }
        var address = context.Connection.RemoteIpAddress;
        if (limiter.Throttled(address, stationId) is { } wait)
        {
            return new AdmissionDecision(StatusCodes.Status429TooManyRequests, "too many failed authentications; retry later", wait);
        }
        if (admission.SecurityProfile >= 3)
        {
            if (!certificates.Enabled)
            {
                return new AdmissionDecision(StatusCodes.Status403Forbidden,
                    $"station '{stationId}' uses security profile 3 (client certificates), but this gateway trusts no station CA (Gateway:Tls:ClientCaPaths)");
            }
            // a certificate the TLS layer let through is checked here, so the refusal can say what was wrong
            var certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
            if (certificates.Problem(certificate, stationId, out var serial) is { } problem)
            {
                limiter.Failed(address, stationId);
                logger.LogWarning("Station {Station}: certificate authentication from {Address} failed: {Reason}", stationId, address, problem);
                return new AdmissionDecision(StatusCodes.Status403Forbidden, problem);
            }
            limiter.Succeeded(address, stationId);
            return AdmissionDecision.Admit with { CertificateSerial = serial };
        }
        var (failure, withPending) = Check(context, stationId, admission);
        if (failure is not null)
        {
            limiter.Failed(address, stationId);
            logger.LogWarning("Station {Station}: authentication from {Address} failed: {Reason}", stationId, address, failure);
            return new AdmissionDecision(StatusCodes.Status401Unauthorized, failure, ChallengeBasic: true);
        }
        limiter.Succeeded(address, stationId);
        return AdmissionDecision.Admit with { WithPendingPassword = withPending };
    }

    /// <summary>
    /// Null when the credentials are right (and whether they are those of a password change whose answer is not known
    /// yet); otherwise what was wrong (without the password).
    /// </summary>
    private (string? Failure, bool WithPending) Check(HttpContext context, string stationId, StationAdmission admission)
    {
        if (!TryReadBasic(context.Request.Headers.Authorization.ToString(), out var username, out var password))
        {
            return ("this station must authenticate with HTTP Basic (security profile 1 or 2): username = its identity, password = its key", false);
        }
        // the username is the identity exactly as in the URL, compared in its canonical form
        if (!StationIdentity.TryCanonicalize(username, out var user, out _) || user != stationId)
        {
            return ("the Basic-auth username must be the station's identity", false);
        }
        if (admission.PasswordHash is null && admission.PendingPasswordHash is null)
        {
            return ("no password is set for this station; an operator sets one with PUT /api/v1/stations/{id}/registration", false);
        }
        if (admission.PasswordHash is { } hash && Verify(stationId, hash, password))
        {
            return (null, false);
        }
        return admission.PendingPasswordHash is { } pending && Verify(stationId, pending, password)
            ? (null, true)
            : ("wrong username or password", false);
    }

    private bool Verify(string stationId, string storedHash, byte[] password)
    {
        if (verified.Matches(stationId, storedHash, password))
        {
            return true;
        }
        if (!StationPasswords.Matches(password, storedHash))
        {
            return false;
        }
        verified.Remember(stationId, storedHash, password);
        return true;
    }

    /// <summary>
    /// RFC 7617: "Basic " + base64(user ":" password). The user-id is UTF-8 and ends at the first ':' (an identity has
    /// none); the password is returned as bytes, since a 1.6 station may send its AuthorizationKey's raw bytes.
    /// </summary>
    public static bool TryReadBasic(string header, out string username, out byte[] password)
    {
        username = "";
        password = [];
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 1_024)
        {
            return false;
        }
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = Array.IndexOf(decoded, (byte)':');
        if (colon <= 0)
        {
            return false;
        }
        try
        {
            username = StationPasswords.StrictUtf8.GetString(decoded, 0, colon);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        password = decoded[(colon + 1)..];
        return true;
    }
}
