using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class RemoteStopTests
{
    [Fact]
    public void RemoteStop_for_a_16_station_is_RemoteStopTransaction_with_an_integer_transactionId()
    {
        var payload = Single(new RemoteStopCommand { TransactionId = "1234" }, OcppVersion.V16, "RemoteStopTransaction");

        Assert.Equal(1234, payload["transactionId"].Int());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void RemoteStop_for_a_2x_station_is_RequestStopTransaction_with_the_transactionId_as_text(OcppVersion version)
    {
        var payload = Single(new RemoteStopCommand { TransactionId = "tx-1234" }, version, "RequestStopTransaction");

        Assert.Equal("tx-1234", payload["transactionId"].Text());
    }

    [Fact]
    public void RemoteStop_with_a_non_integer_transactionId_is_not_expressible_in_16() =>
        Problem(new RemoteStopCommand { TransactionId = "tx-1234" }, OcppVersion.V16, "transactionId");

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void RemoteStop_with_a_transactionId_over_36_characters_is_not_expressible_in_2x(OcppVersion version) =>
        Problem(new RemoteStopCommand { TransactionId = new string('x', 37) }, version, "transactionId");
}
