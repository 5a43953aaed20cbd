namespace Csms.Ocpp.Framing;

/// <summary>
/// RPC framework error codes, version-neutral. <see cref="OcppErrorCodes.Spelling"/> gives each version's
/// exact wire spelling (OCPP-J 1.6 section 4.2.3; OCPP 2.0.1 / 2.1 Part 4 section 4.3).
/// </summary>
public enum OcppErrorCode
{
    /// <summary>1.6 FormationViolation, 2.x FormatViolation.</summary>
    FormatViolation,
    GenericError,
    InternalError,
    /// <summary>2.x only; 1.6 answers FormationViolation.</summary>
    MessageTypeNotSupported,
    NotImplemented,
    NotSupported,
    /// <summary>1.6 OccurenceConstraintViolation (sic), 2.x OccurrenceConstraintViolation.</summary>
    OccurrenceConstraintViolation,
    PropertyConstraintViolation,
    ProtocolError,
    /// <summary>2.x only; 1.6 answers FormationViolation.</summary>
    RpcFrameworkError,
    SecurityError,
    TypeConstraintViolation,
}

public static class OcppErrorCodes
{
    public const int MaxDescriptionLength = 255;

    public static string Spelling(this OcppErrorCode code, OcppVersion version)
    {
        if (version == OcppVersion.V16)
        {
            return code switch
            {
                OcppErrorCode.FormatViolation => "FormationViolation",
                OcppErrorCode.OccurrenceConstraintViolation => "OccurenceConstraintViolation",
                // 1.6 has neither code; a frame it cannot read "does not conform to the PDU structure"
                OcppErrorCode.MessageTypeNotSupported or OcppErrorCode.RpcFrameworkError => "FormationViolation",
                _ => code.ToString(),
            };
        }
        return code.ToString();
    }

    /// <summary>Reads an error code as sent by a peer of the given version; unknown codes map to GenericError.</summary>
    public static OcppErrorCode Parse(string? spelling) => spelling switch
    {
        "FormationViolation" or "FormatViolation" => OcppErrorCode.FormatViolation,
        "OccurenceConstraintViolation" or "OccurrenceConstraintViolation" => OcppErrorCode.OccurrenceConstraintViolation,
        _ when Enum.TryParse<OcppErrorCode>(spelling, ignoreCase: false, out var code) => code,
        _ => OcppErrorCode.GenericError,
    };

    /// <summary>Trims a description to the 255 characters the spec allows.</summary>
    public static string Clip(string description) =>
        description.Length <= MaxDescriptionLength ? description : description[..(MaxDescriptionLength - 1)] + "…";
}
