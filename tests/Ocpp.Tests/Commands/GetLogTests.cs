using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class GetLogTests
{
    private static readonly GetLogCommand Diagnostics = new()
    {
        RemoteLocation = "ftp://logs.example.com/upload/",
        OldestTimestamp = Noon.AddDays(-1),
        LatestTimestamp = Noon,
        Retries = 2,
    };

    [Fact]
    public void GetLog_of_diagnostics_for_a_16_station_is_GetDiagnostics()
    {
        var payload = Single(Diagnostics, OcppVersion.V16, "GetDiagnostics");

        Assert.Equal("ftp://logs.example.com/upload/", payload["location"].Text());
        Assert.Equal("2025-02-28T12:00:00Z", payload["startTime"].Text());
        Assert.Equal("2025-03-01T12:00:00Z", payload["stopTime"].Text());
        Assert.Equal(2, payload["retries"].Int());
    }

    [Fact]
    public void GetLog_of_the_security_log_for_a_16_station_is_the_security_extensions_GetLog()
    {
        var payload = Single(Diagnostics with { LogType = "SecurityLog", RequestId = 5 }, OcppVersion.V16, "GetLog");

        Assert.Equal("SecurityLog", payload["logType"].Text());
        Assert.Equal(5, payload["requestId"].Int());
        Assert.Equal("ftp://logs.example.com/upload/", payload["log"]!["remoteLocation"].Text());
    }

    [Theory]
    [MemberData(nameof(TwoX), MemberType = typeof(Translated))]
    public void GetLog_for_a_2x_station_is_GetLog_with_the_time_window(OcppVersion version)
    {
        var payload = Single(Diagnostics, version, "GetLog");

        Assert.Equal("DiagnosticsLog", payload["logType"].Text());
        Assert.Equal("2025-02-28T12:00:00Z", payload["log"]!["oldestTimestamp"].Text());
        Assert.Equal("2025-03-01T12:00:00Z", payload["log"]!["latestTimestamp"].Text());
        Assert.NotNull(payload["requestId"].Int());
    }

    [Fact]
    public void GetLog_of_the_data_collector_log_is_expressible_in_21_only()
    {
        var command = Diagnostics with { LogType = "DataCollectorLog" };

        Problem(command, OcppVersion.V16, "logType");
        Problem(command, OcppVersion.V201, "logType");
        Assert.Equal("DataCollectorLog", Single(command, OcppVersion.V21, "GetLog")["logType"].Text());
    }
}
