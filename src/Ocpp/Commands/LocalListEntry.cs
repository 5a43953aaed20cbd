namespace Csms.Ocpp.Commands;

/// <summary>One identifier in a local authorization list update.</summary>
public sealed record LocalListEntry
{
    public required string IdToken { get; init; }

    /// <summary>2.x idToken type; "ISO14443" when omitted; not sent to 1.6 stations.</summary>
    public string? IdTokenType { get; init; }

    /// <summary>
    /// "Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"; 2.x adds "NoCredit", "NotAllowedTypeEVSE",
    /// "NotAtThisLocation", "NotAtThisTime", "Unknown". Omit it in a Differential update to remove the identifier.
    /// </summary>
    public string? Status { get; init; }

    /// <summary>Until when the entry is valid (1.6 idTagInfo.expiryDate, 2.x idTokenInfo.cacheExpiryDateTime).</summary>
    public DateTimeOffset? ExpiryDateTime { get; init; }

    /// <summary>The group the identifier belongs to (1.6 idTagInfo.parentIdTag, 2.x idTokenInfo.groupIdToken).</summary>
    public string? GroupIdToken { get; init; }

    public string? GroupIdTokenType { get; init; }
}
