using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class ChangePasswordTests
{
    private const string Key = "00112233445566778899AABBCCDDEEFF00112233";

    [Fact]
    public void Security_whitepaper_A01_FR_02_1_6_sets_AuthorizationKey_with_ChangeConfiguration()
    {
        var payload = Single(new ChangePasswordCommand { Password = Key }, OcppVersion.V16, "ChangeConfiguration");
        Assert.Equal("AuthorizationKey", payload["key"].Text());
        Assert.Equal(Key, payload["value"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void A01_FR_02_2_x_sets_SecurityCtrlr_BasicAuthPassword_with_SetVariables(OcppVersion version)
    {
        var payload = Single(new ChangePasswordCommand { Password = "a-plain-password-16" }, version, "SetVariables");
        var data = payload["setVariableData"]![0]!;
        Assert.Equal("a-plain-password-16", data["attributeValue"].Text());
        Assert.Equal("SecurityCtrlr", data["component"]!["name"].Text());
        Assert.Equal("BasicAuthPassword", data["variable"]!["name"].Text());
    }

    [Theory]
    [InlineData("0011223344556677889")]                              // too short
    [InlineData("00112233445566778899AABBCCDDEEFF0011223")]          // odd number of digits
    [InlineData("00112233445566778899AABBCCDDEEFF0011223344")]       // 21 bytes
    [InlineData("not-hex-but-long-enough-1234-5678")]
    public void A00_FR_205_a_1_6_key_that_is_not_16_to_20_bytes_of_hex_is_not_expressible(string key) =>
        Assert.Contains("hexadecimal", Problem(new ChangePasswordCommand { Password = key }, OcppVersion.V16, "password"), StringComparison.Ordinal);

    [Theory]
    [InlineData("short-15-chars!")]
    [InlineData("with a space inside it")]
    [InlineData("forty-one-characters-is-one-too-many-1234")]
    public void A_2_x_password_outside_the_BasicAuthPassword_rules_is_not_expressible(string password) =>
        Assert.Contains("password", Problem(new ChangePasswordCommand { Password = password }, OcppVersion.V201, "password"), StringComparison.Ordinal);

    [Theory]
    [InlineData("ChangeConfiguration", """{"key":"AuthorizationKey","value":"00"}""", true)]
    [InlineData("ChangeConfiguration", """{"key":"authorizationkey","value":"00"}""", true)]
    [InlineData("ChangeConfiguration", """{"key":"HeartbeatInterval","value":"60"}""", false)]
    [InlineData("SetVariables", """{"setVariableData":[{"attributeValue":"1","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}},{"attributeValue":"x","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}""", true)]
    [InlineData("SetVariables", """{"setVariableData":[{"attributeValue":"1","component":{"name":"SecurityCtrlr"},"variable":{"name":"SecurityProfile"}}]}""", false)]
    [InlineData("Reset", """{"type":"Soft"}""", false)]
    [InlineData("SetVariables", "[]", false)]
    public void A_call_that_would_change_the_password_is_recognised(string action, string payload, bool writes) =>
        Assert.Equal(writes, ChangePasswordCommand.Writes(action, payload));
}
