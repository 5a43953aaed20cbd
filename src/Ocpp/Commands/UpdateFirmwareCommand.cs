using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Install new firmware. 1.6: UpdateFirmware, or the security extension's SignedUpdateFirmware when a signing
/// certificate and signature are given (white paper L01). 2.x: UpdateFirmware (signature optional).
/// </summary>
public sealed record UpdateFirmwareCommand : OperatorCommand
{
    /// <summary>URI to download the firmware from.</summary>
    public required string Location { get; init; }

    /// <summary>When the station should download the firmware.</summary>
    public required DateTimeOffset RetrieveDateTime { get; init; }

    /// <summary>When to install it; not expressible by plain 1.6 UpdateFirmware (use a signed update).</summary>
    public DateTimeOffset? InstallDateTime { get; init; }

    public int? Retries { get; init; }

    /// <summary>Seconds between download retries.</summary>
    public int? RetryInterval { get; init; }

    /// <summary>PEM certificate that signed the firmware; with <see cref="Signature"/> selects a secure firmware update.</summary>
    public string? SigningCertificate { get; init; }

    /// <summary>Base64 signature of the firmware file.</summary>
    public string? Signature { get; init; }

    /// <summary>Echoed in the status notifications (2.x, 1.6 signed); derived from location and time when omitted.</summary>
    public int? RequestId { get; init; }

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (string.IsNullOrEmpty(Location))
        {
            throw JsonPayload.Required("location", "the URI to download the firmware from");
        }
        var signed = SigningCertificate is not null || Signature is not null;
        if (signed && (SigningCertificate is null || Signature is null))
        {
            throw new CommandNotExpressibleException(
                $"{(SigningCertificate is null ? "signingCertificate" : "signature")} is required with "
                + $"{(SigningCertificate is null ? "signature" : "signingCertificate")}: a secure firmware update needs both (L01).");
        }

        if (version == OcppVersion.V16 && !signed)
        {
            if (InstallDateTime is not null)
            {
                throw new CommandNotExpressibleException(
                    "installDateTime cannot be expressed in OCPP 1.6 UpdateFirmware, which installs right after the download: omit it, "
                    + "or give signingCertificate and signature to use the security extension's SignedUpdateFirmware.");
            }
            if (!Uri.TryCreate(Location, UriKind.Absolute, out _))
            {
                throw new CommandNotExpressibleException($"location must be an absolute URI for OCPP 1.6 UpdateFirmware, e.g. https://host/fw.bin.");
            }
            return [new OcppCall("UpdateFirmware", new JsonObject { ["location"] = Location }
                .Put("retries", Retries)
                .Put("retrieveDate", JsonPayload.Timestamp(RetrieveDateTime))
                .Put("retryInterval", RetryInterval))];
        }

        var firmware = new JsonObject
        {
            ["location"] = Location,
            ["retrieveDateTime"] = JsonPayload.Timestamp(RetrieveDateTime),
        }
            .Put("installDateTime", JsonPayload.Timestamp(InstallDateTime))
            .Put("signingCertificate", SigningCertificate)
            .Put("signature", Signature);
        var payload = new JsonObject()
            .Put("retries", Retries)
            .Put("retryInterval", RetryInterval)
            .Put("requestId", RequestId ?? OcppRequestIds.FromParts("UpdateFirmware", Location, RetrieveDateTime))
            .Put("firmware", firmware);
        return [new OcppCall(version == OcppVersion.V16 ? "SignedUpdateFirmware" : "UpdateFirmware", payload)];
    }
}
