using Csms.Ocpp;

namespace Csms.Grains.Tests.Cluster;

[Collection(AcceptAllCollection.Name)]
public class AuthorizationTests(AcceptAllCluster fixture)
{
    [Theory]
    [InlineData(Tokens.Good, "Accepted")]
    [InlineData("04a1b2c3", "Accepted")]
    [InlineData(Tokens.Blocked, "Blocked")]
    [InlineData(Tokens.Expired, "Expired")]
    [InlineData(Tokens.Unknown, "Invalid")]
    public async Task V16_Authorize_answers_the_configured_status_and_Invalid_for_an_unknown_token(string idTag, string expected)
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();

        var response = await station.CallOk("Authorize", $$"""{"idTag":"{{idTag}}"}""");

        Assert.Equal(expected, response.GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Tokens.Good, "Accepted")]
    [InlineData(Tokens.Blocked, "Blocked")]
    [InlineData(Tokens.Expired, "Expired")]
    [InlineData(Tokens.Unknown, "Unknown")]
    public async Task V201_Authorize_answers_the_configured_status_and_Unknown_for_an_unknown_token(string idToken, string expected)
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        await station.BootAccepted();

        var response = await station.CallOk("Authorize", $$$"""{"idToken":{"idToken":"{{{idToken}}}","type":"ISO14443"}}""");

        Assert.Equal(expected, response.GetProperty("idTokenInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task V16_StartTransaction_with_a_blocked_token_answers_Blocked()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V16);
        await station.BootAccepted();

        var response = await station.CallOk("StartTransaction", V16LifecycleTests.StartTransaction(1, Tokens.Blocked, 0, 0));

        Assert.Equal("Blocked", response.GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task V201_TransactionEvent_with_an_expired_token_answers_Expired()
    {
        var station = await StationDriver.Connect(fixture.Client, OcppVersion.V201);
        await station.BootAccepted();

        var response = await station.CallOk("TransactionEvent",
            V201LifecycleTests.TransactionEvent("Started", 0, Guid.NewGuid().ToString(), 0, "EVConnected", Tokens.Expired, withEvse: true));

        Assert.Equal("Expired", response.GetProperty("idTokenInfo").GetProperty("status").GetString());
    }
}
