using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class SendLocalListTests
{
    private static readonly SendLocalListCommand Full = new()
    {
        ListVersion = 12,
        UpdateType = "Full",
        Entries =
        [
            new LocalListEntry { IdToken = "04A1B2C3", Status = "Accepted", ExpiryDateTime = Noon, GroupIdToken = "FLEET" },
            new LocalListEntry { IdToken = "04FFFFFF", Status = "blocked" },
        ],
    };

    [Fact]
    public void SendLocalList_for_a_16_station_lists_idTags_with_idTagInfo()
    {
        var payload = Single(Full, OcppVersion.V16, "SendLocalList");

        Assert.Equal(12, payload["listVersion"].Int());
        Assert.Equal("Full", payload["updateType"].Text());
        var first = payload["localAuthorizationList"]![0]!;
        Assert.Equal("04A1B2C3", first["idTag"].Text());
        Assert.Equal("Accepted", first["idTagInfo"]!["status"].Text());
        Assert.Equal("2025-03-01T12:00:00Z", first["idTagInfo"]!["expiryDate"].Text());
        Assert.Equal("FLEET", first["idTagInfo"]!["parentIdTag"].Text());
        Assert.Equal("Blocked", payload["localAuthorizationList"]![1]!["idTagInfo"]!["status"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void SendLocalList_for_a_2x_station_lists_idTokens_with_idTokenInfo(OcppVersion version)
    {
        var payload = Single(Full, version, "SendLocalList");

        Assert.Equal(12, payload["versionNumber"].Int());
        var first = payload["localAuthorizationList"]![0]!;
        Assert.Equal("04A1B2C3", first["idToken"]!["idToken"].Text());
        Assert.Equal("ISO14443", first["idToken"]!["type"].Text());
        Assert.Equal("Accepted", first["idTokenInfo"]!["status"].Text());
        Assert.Equal("2025-03-01T12:00:00Z", first["idTokenInfo"]!["cacheExpiryDateTime"].Text());
        Assert.Equal("FLEET", first["idTokenInfo"]!["groupIdToken"]!["idToken"].Text());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SendLocalList_differential_entry_without_status_removes_the_identifier(OcppVersion version)
    {
        var payload = Single(new SendLocalListCommand { ListVersion = 13, UpdateType = "Differential", Entries = [new LocalListEntry { IdToken = "04A1B2C3" }] },
            version, "SendLocalList");

        var entry = payload["localAuthorizationList"]![0]!.AsObject();
        Assert.Single(entry);
        Assert.Equal("Differential", payload["updateType"].Text());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SendLocalList_full_without_entries_empties_the_list(OcppVersion version) =>
        Assert.Null(Single(new SendLocalListCommand { ListVersion = 1, UpdateType = "Full" }, version, "SendLocalList")["localAuthorizationList"]);

    [Fact]
    public void SendLocalList_with_a_status_only_2x_has_is_not_expressible_in_16()
    {
        var command = Full with { Entries = [new LocalListEntry { IdToken = "04A1B2C3", Status = "NoCredit" }] };

        Problem(command, OcppVersion.V16, "entries[0].status");
        Assert.Equal("NoCredit", Single(command, OcppVersion.V201, "SendLocalList")["localAuthorizationList"]![0]!["idTokenInfo"]!["status"].Text());
    }

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SendLocalList_full_entry_without_status_is_not_expressible(OcppVersion version) =>
        Problem(Full with { Entries = [new LocalListEntry { IdToken = "04A1B2C3" }] }, version, "entries[0].status");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SendLocalList_with_version_0_is_not_expressible(OcppVersion version) =>
        Problem(Full with { ListVersion = 0 }, version, "listVersion");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void SendLocalList_listing_an_identifier_twice_is_not_expressible(OcppVersion version) =>
        Problem(Full with { Entries = [.. Full.Entries!, new LocalListEntry { IdToken = "04a1b2c3", Status = "Invalid" }] }, version, "entries");

    [Fact]
    public void SendLocalList_with_a_parent_idTag_over_20_characters_is_not_expressible_in_16() =>
        Problem(Full with { Entries = [new LocalListEntry { IdToken = "04A1B2C3", Status = "Accepted", GroupIdToken = new string('G', 21) }] },
            OcppVersion.V16, "entries[0].groupIdToken");
}
