using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class UpdateFirmwareTests
{
    private static readonly UpdateFirmwareCommand Plain = new()
    {
        Location = "https://fw.example.com/x1-2.0.bin",
        RetrieveDateTime = Noon,
        Retries = 3,
        RetryInterval = 120,
    };

    private static readonly UpdateFirmwareCommand Signed = Plain with
    {
        SigningCertificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        Signature = "c2lnbmF0dXJl",
        InstallDateTime = Noon.AddHours(2),
        RequestId = 9,
    };

    [Fact]
    public void UpdateFirmware_for_a_16_station_is_UpdateFirmware_with_location_and_retrieveDate()
    {
        var payload = Single(Plain, OcppVersion.V16, "UpdateFirmware");

        Assert.Equal("https://fw.example.com/x1-2.0.bin", payload["location"].Text());
        Assert.Equal("2025-03-01T12:00:00Z", payload["retrieveDate"].Text());
        Assert.Equal(3, payload["retries"].Int());
        Assert.Equal(120, payload["retryInterval"].Int());
    }

    [Fact]
    public void UpdateFirmware_with_a_signature_for_a_16_station_is_the_security_extensions_SignedUpdateFirmware()
    {
        var payload = Single(Signed, OcppVersion.V16, "SignedUpdateFirmware");

        Assert.Equal(9, payload["requestId"].Int());
        Assert.Equal("https://fw.example.com/x1-2.0.bin", payload["firmware"]!["location"].Text());
        Assert.Equal("2025-03-01T14:00:00Z", payload["firmware"]!["installDateTime"].Text());
        Assert.Equal("c2lnbmF0dXJl", payload["firmware"]!["signature"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void UpdateFirmware_for_a_2x_station_nests_the_firmware_and_derives_a_requestId(OcppVersion version)
    {
        var payload = Single(Plain, version, "UpdateFirmware");

        Assert.Equal("https://fw.example.com/x1-2.0.bin", payload["firmware"]!["location"].Text());
        Assert.Equal("2025-03-01T12:00:00Z", payload["firmware"]!["retrieveDateTime"].Text());
        Assert.Equal(3, payload["retries"].Int());
        Assert.Equal(payload["requestId"].Int(), Single(Plain with { }, version, "UpdateFirmware")["requestId"].Int());
        Assert.Equal(9, Single(Signed, version, "UpdateFirmware")["requestId"].Int());
    }

    [Fact]
    public void UpdateFirmware_at_an_install_time_is_not_expressible_by_plain_16_UpdateFirmware() =>
        Problem(Plain with { InstallDateTime = Noon.AddHours(1) }, OcppVersion.V16, "installDateTime");

    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void UpdateFirmware_with_a_signature_but_no_signing_certificate_is_not_expressible(OcppVersion version) =>
        Problem(Plain with { Signature = "c2ln" }, version, "signingCertificate");

    [Fact]
    public void UpdateFirmware_from_a_location_that_is_not_a_URI_is_not_expressible_in_16() =>
        Problem(Plain with { Location = "fw/x1.bin" }, OcppVersion.V16, "location");
}
