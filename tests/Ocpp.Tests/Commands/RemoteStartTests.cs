using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class RemoteStartTests
{
    private static ChargingProfile TxProfile(string? transactionId = null) => new()
    {
        Id = 7,
        StackLevel = 1,
        ChargingProfilePurpose = "TxProfile",
        ChargingProfileKind = "Relative",
        TransactionId = transactionId,
        ChargingSchedules = [new ChargingSchedule
        {
            ChargingRateUnit = "A",
            ChargingSchedulePeriods = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 16, NumberPhases = 3 }],
        }],
    };

    [Fact]
    public void RemoteStart_for_a_16_station_is_RemoteStartTransaction_with_the_idTag()
    {
        var payload = Single(new RemoteStartCommand { IdToken = "04A1B2C3", EvseId = 2, ChargingProfile = TxProfile() },
            OcppVersion.V16, "RemoteStartTransaction");

        Assert.Equal("04A1B2C3", payload["idTag"].Text());
        Assert.Equal(2, payload["connectorId"].Int());
        Assert.Equal(7, payload["chargingProfile"]!["chargingProfileId"].Int());
        Assert.Equal("TxProfile", payload["chargingProfile"]!["chargingProfilePurpose"].Text());
        Assert.Equal(16m, payload["chargingProfile"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!.GetValue<decimal>());
        Assert.Null(payload["remoteStartId"]);
    }

    [Fact]
    public void RemoteStart_for_a_16_station_takes_a_lone_connectorId_as_the_16_connector()
    {
        var payload = Single(new RemoteStartCommand { IdToken = "TAG", ConnectorId = 3 }, OcppVersion.V16, "RemoteStartTransaction");

        Assert.Equal(3, payload["connectorId"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void RemoteStart_for_a_2x_station_is_RequestStartTransaction_with_an_ISO14443_idToken(OcppVersion version)
    {
        var payload = Single(new RemoteStartCommand { IdToken = "04A1B2C3", EvseId = 2, RemoteStartId = 42, ChargingProfile = TxProfile() },
            version, "RequestStartTransaction");

        Assert.Equal("04A1B2C3", payload["idToken"]!["idToken"].Text());
        Assert.Equal("ISO14443", payload["idToken"]!["type"].Text());
        Assert.Equal(2, payload["evseId"].Int());
        Assert.Equal(42, payload["remoteStartId"].Int());
        Assert.Equal(7, payload["chargingProfile"]!["id"].Int());
        Assert.Equal(1, payload["chargingProfile"]!["chargingSchedule"]![0]!["id"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void RemoteStart_for_a_2x_station_carries_the_given_token_type_and_group(OcppVersion version)
    {
        var payload = Single(new RemoteStartCommand { IdToken = "EMAID1", IdTokenType = "emaid", GroupIdToken = "FLEET", GroupIdTokenType = "Central" },
            version, "RequestStartTransaction");

        Assert.Equal("eMAID", payload["idToken"]!["type"].Text());
        Assert.Equal("FLEET", payload["groupIdToken"]!["idToken"].Text());
        Assert.Equal("Central", payload["groupIdToken"]!["type"].Text());
    }

    [Fact]
    public void RemoteStart_without_a_remoteStartId_gets_the_same_derived_id_for_the_same_request()
    {
        var command = new RemoteStartCommand { IdToken = "04A1B2C3", EvseId = 1 };

        var first = Single(command, OcppVersion.V201, "RequestStartTransaction")["remoteStartId"].Int();
        var again = Single(command with { }, OcppVersion.V201, "RequestStartTransaction")["remoteStartId"].Int();
        var otherEvse = Single(command with { EvseId = 2 }, OcppVersion.V201, "RequestStartTransaction")["remoteStartId"].Int();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherEvse);
        Assert.True(first > 0);
    }

    [Fact]
    public void RemoteStart_with_an_idTag_longer_than_20_characters_is_not_expressible_in_16()
    {
        var problem = Problem(new RemoteStartCommand { IdToken = new string('A', 21) }, OcppVersion.V16, "idToken");

        Assert.Contains("20", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoteStart_with_a_groupIdToken_is_not_expressible_in_16() =>
        Problem(new RemoteStartCommand { IdToken = "TAG", GroupIdToken = "FLEET" }, OcppVersion.V16, "groupIdToken");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void RemoteStart_on_EVSE_0_the_whole_station_is_not_expressible(OcppVersion version) =>
        Problem(new RemoteStartCommand { IdToken = "TAG", EvseId = 0 }, version, "evseId");

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void RemoteStart_on_a_connector_is_not_expressible_in_2x_which_starts_on_an_EVSE(OcppVersion version) =>
        Problem(new RemoteStartCommand { IdToken = "TAG", EvseId = 1, ConnectorId = 2 }, version, "connectorId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void RemoteStart_with_a_profile_other_than_TxProfile_is_not_expressible(OcppVersion version) =>
        Problem(new RemoteStartCommand { IdToken = "TAG", ChargingProfile = TxProfile() with { ChargingProfilePurpose = "TxDefaultProfile" } },
            version, "chargingProfile.chargingProfilePurpose");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void RemoteStart_with_a_transactionId_in_the_profile_is_not_expressible(OcppVersion version) =>
        Problem(new RemoteStartCommand { IdToken = "TAG", ChargingProfile = TxProfile("12") }, version, "chargingProfile.transactionId");

    [Fact]
    public void RemoteStart_with_a_token_type_201_does_not_know_is_not_expressible_in_201_but_is_in_21()
    {
        var command = new RemoteStartCommand { IdToken = "TAG", IdTokenType = "DirectPayment" };

        Problem(command, OcppVersion.V201, "idTokenType");
        Assert.Equal("DirectPayment", Single(command, OcppVersion.V21, "RequestStartTransaction")["idToken"]!["type"].Text());
    }

    [Fact]
    public void RemoteStart_with_an_idToken_over_36_characters_is_not_expressible_in_201() =>
        Problem(new RemoteStartCommand { IdToken = new string('A', 37) }, OcppVersion.V201, "idToken");
}
