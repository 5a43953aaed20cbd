using System.Text.Json.Nodes;
using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

/// <summary>Every operation, with the fields all versions share, gives schema-valid CALLs in every version.</summary>
public class EveryOperationTests
{
    private static readonly ChargingProfile Profile = new()
    {
        Id = 3,
        StackLevel = 1,
        ChargingProfilePurpose = "TxDefaultProfile",
        ChargingProfileKind = "Absolute",
        ChargingSchedules =
        [
            new ChargingSchedule
            {
                StartSchedule = Noon,
                ChargingRateUnit = "A",
                ChargingSchedulePeriods = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 32 }],
            },
        ],
    };

    private static readonly Dictionary<string, OperatorCommand> Commands = new()
    {
        ["RemoteStart"] = new RemoteStartCommand { IdToken = "04A1B2C3", EvseId = 1 },
        ["RemoteStop"] = new RemoteStopCommand { TransactionId = "17" },
        ["Reset"] = new ResetCommand { Type = "immediate" },
        ["UnlockConnector"] = new UnlockConnectorCommand { EvseId = 1, ConnectorId = 1 },
        ["ChangeAvailability"] = new ChangeAvailabilityCommand { OperationalStatus = "Inoperative", EvseId = 1 },
        ["GetConfiguration"] = new GetConfigurationCommand { Names = ["HeartbeatInterval"] },
        ["SetConfiguration"] = new SetConfigurationCommand { Settings = [new ConfigurationSetting { Name = "HeartbeatInterval", Value = "600" }] },
        ["TriggerMessage"] = new TriggerMessageCommand { RequestedMessage = "Heartbeat" },
        ["ClearCache"] = new ClearCacheCommand(),
        ["DataTransfer"] = new DataTransferCommand { VendorId = "com.acme", MessageId = "Ping", Data = new JsonObject { ["n"] = 1 } },
        ["UpdateFirmware"] = new UpdateFirmwareCommand { Location = "https://fw.example.com/x1.bin", RetrieveDateTime = Noon },
        ["GetLog"] = new GetLogCommand { RemoteLocation = "ftp://logs.example.com/" },
        ["SendLocalList"] = new SendLocalListCommand { ListVersion = 2, UpdateType = "Full", Entries = [new LocalListEntry { IdToken = "04A1B2C3", Status = "Accepted" }] },
        ["ReserveNow"] = new ReserveNowCommand { ReservationId = 8, ExpiryDateTime = Noon, IdToken = "04A1B2C3", EvseId = 1 },
        ["CancelReservation"] = new CancelReservationCommand { ReservationId = 8 },
        ["SetChargingProfile"] = new SetChargingProfileCommand { EvseId = 1, ChargingProfile = Profile },
        ["ClearChargingProfile"] = new ClearChargingProfileCommand { ChargingProfileId = 3 },
        ["GetCompositeSchedule"] = new GetCompositeScheduleCommand { Duration = 3600, EvseId = 1, ChargingRateUnit = "A" },
        ["ChangePassword"] = new ChangePasswordCommand { Password = "00112233445566778899AABBCCDDEEFF00112233" },
    };

    public static TheoryData<string, OcppVersion> Cases
    {
        get
        {
            var data = new TheoryData<string, OcppVersion>();
            foreach (var operation in Commands.Keys)
            {
                foreach (var version in OcppVersions.All)
                {
                    data.Add(operation, version);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_operation_translates_to_schema_valid_CALLs_in_each_version(string operation, OcppVersion version) =>
        Assert.NotEmpty(Calls(Commands[operation], version));

    [Fact]
    public void Every_kind_of_command_is_covered()
    {
        var kinds = typeof(OperatorCommand).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(OperatorCommand)) && !t.IsAbstract)
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(kinds, Commands.Values.Select(c => c.GetType().Name).Order(StringComparer.Ordinal));
    }
}
