using System.Text.Json.Nodes;

namespace Csms.Ocpp.Commands;

/// <summary>
/// Replace (Full) or patch (Differential) the station's local authorization list: SendLocalList in every version,
/// as 1.6 listVersion + localAuthorizationList[idTag, idTagInfo] or 2.x versionNumber + localAuthorizationList[idToken, idTokenInfo].
/// </summary>
public sealed record SendLocalListCommand : OperatorCommand
{
    /// <summary>The version the station stores with the list afterwards; greater than 0 (D01.FR.18).</summary>
    public required int ListVersion { get; init; }

    /// <summary>"Full" or "Differential".</summary>
    public required string UpdateType { get; init; }

    /// <summary>A Full update without entries empties the list (D01.FR.04).</summary>
    public IReadOnlyList<LocalListEntry>? Entries { get; init; }

    private static readonly string[] Statuses16 = ["Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"];

    private static readonly string[] Statuses2x =
        [.. Statuses16, "NoCredit", "NotAllowedTypeEVSE", "NotAtThisLocation", "NotAtThisTime", "Unknown"];

    internal override IReadOnlyList<OcppCall> ToCalls(OcppVersion version)
    {
        if (ListVersion <= 0)
        {
            throw new CommandNotExpressibleException($"listVersion must be greater than 0 (D01.FR.18), not {ListVersion}.");
        }
        var updateType = JsonPayload.Canonical(UpdateType, ["Full", "Differential"])
            ?? throw new CommandNotExpressibleException($"updateType '{UpdateType}' is not Full or Differential.");
        var entries = Entries ?? [];
        var duplicate = entries.GroupBy(e => e.IdToken, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CommandNotExpressibleException($"entries list idToken '{duplicate.Key}' twice; every identifier may appear once (D01.FR.06).");
        }

        var list = new JsonArray();
        for (var i = 0; i < entries.Count; i++)
        {
            list.Add(Entry(entries[i], updateType, version, $"entries[{i}]"));
        }
        var payload = new JsonObject();
        if (version == OcppVersion.V16)
        {
            payload["listVersion"] = ListVersion;
            payload.Put("localAuthorizationList", list.Count == 0 ? null : list);
        }
        else
        {
            // 2.x requires at least one item when the list is present, so an empty list is left out
            payload.Put("localAuthorizationList", list.Count == 0 ? null : list);
            payload["versionNumber"] = ListVersion;
        }
        payload["updateType"] = updateType;
        return [new OcppCall("SendLocalList", payload)];
    }

    private static JsonObject Entry(LocalListEntry entry, string updateType, OcppVersion version, string field)
    {
        var statuses = version == OcppVersion.V16 ? Statuses16 : Statuses2x;
        string? status = null;
        if (entry.Status is not null)
        {
            status = JsonPayload.Canonical(entry.Status, statuses)
                ?? throw new CommandNotExpressibleException(JsonPayload.Canonical(entry.Status, Statuses2x) is { } twoX
                    ? $"{field}.status {twoX} cannot be expressed in OCPP 1.6, whose idTagInfo status is one of {string.Join(", ", Statuses16)}: use Blocked or Invalid."
                    : $"{field}.status '{entry.Status}' is not an authorization status; use one of {string.Join(", ", statuses)}.");
        }
        else if (updateType == "Full")
        {
            // 1.6 section 7.1: idTagInfo is required when updateType is Full; without it an entry means "remove" (D01.FR.17)
            throw JsonPayload.Required(field + ".status", "a Full update lists identifiers with their status; leaving status out removes an identifier, which only a Differential update does");
        }
        else if (entry.ExpiryDateTime is not null || entry.GroupIdToken is not null)
        {
            throw JsonPayload.Required(field + ".status", "an entry without status removes the identifier, so expiryDateTime and groupIdToken would be lost");
        }

        if (version == OcppVersion.V16)
        {
            var json = new JsonObject { ["idTag"] = IdTokens.IdTag(entry.IdToken, field + ".idToken") };
            if (status is not null)
            {
                json["idTagInfo"] = new JsonObject()
                    .Put("expiryDate", JsonPayload.Timestamp(entry.ExpiryDateTime))
                    .Put("parentIdTag", entry.GroupIdToken is null ? null : IdTokens.IdTag(entry.GroupIdToken, field + ".groupIdToken"))
                    .Put("status", status);
            }
            return json;
        }

        var twoXEntry = new JsonObject { ["idToken"] = IdTokens.IdToken(entry.IdToken, entry.IdTokenType, version, field + ".idToken") };
        if (status is not null)
        {
            twoXEntry["idTokenInfo"] = new JsonObject { ["status"] = status }
                .Put("cacheExpiryDateTime", JsonPayload.Timestamp(entry.ExpiryDateTime))
                .Put("groupIdToken", entry.GroupIdToken is null
                    ? null
                    : IdTokens.IdToken(entry.GroupIdToken, entry.GroupIdTokenType, version, field + ".groupIdToken"));
        }
        return twoXEntry;
    }
}
