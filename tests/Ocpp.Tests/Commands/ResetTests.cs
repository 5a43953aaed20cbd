using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class ResetTests
{
    [Theory]
    [InlineData(OcppVersion.V16, "hard", "Hard")]
    [InlineData(OcppVersion.V16, "soft", "Soft")]
    [InlineData(OcppVersion.V16, "immediate", "Soft")]
    [InlineData(OcppVersion.V201, "immediate", "Immediate")]
    [InlineData(OcppVersion.V201, "onIdle", "OnIdle")]
    [InlineData(OcppVersion.V201, "soft", "Immediate")]
    [InlineData(OcppVersion.V201, "hard", "Immediate")]
    [InlineData(OcppVersion.V21, "ONIDLE", "OnIdle")]
    [InlineData(OcppVersion.V21, "hard", "Immediate")]
    [InlineData(OcppVersion.V21, "immediateAndResume", "ImmediateAndResume")]
    public void Reset_maps_the_neutral_type_to_the_versions_reset_type(OcppVersion version, string type, string expected)
    {
        var payload = Single(new ResetCommand { Type = type }, version, "Reset");

        Assert.Equal(expected, payload["type"].Text());
        Assert.Null(payload["evseId"]);
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void Reset_of_one_EVSE_for_a_2x_station_carries_the_evseId(OcppVersion version) =>
        Assert.Equal(2, Single(new ResetCommand { Type = "onIdle", EvseId = 2 }, version, "Reset")["evseId"].Int());

    [Fact]
    public void Reset_onIdle_is_not_expressible_in_16_which_cannot_wait_for_transactions() =>
        Problem(new ResetCommand { Type = "onIdle" }, OcppVersion.V16, "onIdle");

    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    public void Reset_immediateAndResume_is_not_expressible_before_21(OcppVersion version) =>
        Problem(new ResetCommand { Type = "immediateAndResume" }, version, "immediateAndResume");

    [Fact]
    public void Reset_of_one_EVSE_is_not_expressible_in_16() =>
        Problem(new ResetCommand { Type = "soft", EvseId = 1 }, OcppVersion.V16, "evseId");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void Reset_with_an_unknown_type_is_not_expressible(OcppVersion version) =>
        Problem(new ResetCommand { Type = "reboot" }, version, "type");
}
