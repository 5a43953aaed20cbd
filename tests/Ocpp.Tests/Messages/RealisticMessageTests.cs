using System.Text.Json;
using Csms.Ocpp.Messages.V16;
using V201 = Csms.Ocpp.Messages.V201;

namespace Csms.Ocpp.Tests.Messages;

/// <summary>Hand-written messages as real chargers send them, checked field by field.</summary>
public class RealisticMessageTests
{
    [Fact]
    public void A_1_6_boot_notification_reads_into_typed_fields_and_writes_back_unchanged()
    {
        const string Json = """
            {"chargePointVendor":"Alfen BV","chargePointModel":"NG920-60503","chargePointSerialNumber":"ACE0123456",
             "firmwareVersion":"6.1.0-4159","iccid":"8931440400012345678","meterType":"Carlo Gavazzi EM340"}
            """;

        var boot = JsonSerializer.Deserialize(Json, V16JsonContext.Default.BootNotificationRequest)!;

        Assert.Equal("Alfen BV", boot.ChargePointVendor);
        Assert.Equal("NG920-60503", boot.ChargePointModel);
        Assert.Equal("ACE0123456", boot.ChargePointSerialNumber);
        Assert.Equal("6.1.0-4159", boot.FirmwareVersion);
        Assert.Null(boot.ChargeBoxSerialNumber);
        Assert.Null(JsonContent.FirstDifference(Json, JsonSerializer.Serialize(boot, V16JsonContext.Default.BootNotificationRequest)));
    }

    [Fact]
    public void A_1_6_boot_notification_response_leaves_out_nothing_and_writes_utc_as_z()
    {
        var response = new BootNotificationResponse
        {
            Status = RegistrationStatus.Accepted,
            CurrentTime = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 250, TimeSpan.Zero),
            Interval = 300,
        };

        var json = JsonSerializer.Serialize(response, V16JsonContext.Default.BootNotificationResponse);

        Assert.Equal("""{"status":"Accepted","currentTime":"2025-03-04T05:06:07.25Z","interval":300}""", json);
    }

    [Fact]
    public void Null_optional_fields_are_left_out_of_the_json()
    {
        var boot = new BootNotificationRequest { ChargePointVendor = "V", ChargePointModel = "M" };

        var json = JsonSerializer.Serialize(boot, V16JsonContext.Default.BootNotificationRequest);

        Assert.Equal("""{"chargePointVendor":"V","chargePointModel":"M"}""", json);
    }

    [Fact]
    public void A_missing_required_field_is_rejected()
    {
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize("""{"chargePointVendor":"V"}""", V16JsonContext.Default.BootNotificationRequest));
    }

    [Fact]
    public void A_1_6_transaction_with_meter_values_round_trips_with_typed_measurands_units_and_phases()
    {
        const string Start = """{"connectorId":1,"idTag":"04A2B3C4D5E6F7","meterStart":12345,"timestamp":"2025-03-04T05:06:07Z","reservationId":7}""";
        const string Started = """{"idTagInfo":{"status":"Accepted","expiryDate":"2025-12-31T23:59:59Z","parentIdTag":"FLEET-1"},"transactionId":4711}""";
        const string Meter = """
            {"connectorId":1,"transactionId":4711,"meterValue":[{"timestamp":"2025-03-04T05:21:07Z","sampledValue":[
              {"value":"15.432","context":"Sample.Periodic","format":"Raw","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"kWh"},
              {"value":"16.1","measurand":"Current.Import","phase":"L1-N","unit":"A"},
              {"value":"Celcius?","measurand":"Temperature","location":"Body","unit":"Celsius"}]}]}
            """;
        const string Stop = """
            {"meterStop":27777,"timestamp":"2025-03-04T06:06:07+01:00","transactionId":4711,"reason":"EVDisconnected",
             "transactionData":[{"timestamp":"2025-03-04T05:06:07Z","sampledValue":[{"value":"12345","context":"Transaction.Begin","unit":"Wh"}]}]}
            """;

        var start = RoundTrip(Start, V16JsonContext.Default.StartTransactionRequest);
        Assert.Equal(1, start.ConnectorId);
        Assert.Equal("04A2B3C4D5E6F7", start.IdTag);
        Assert.Equal(12345, start.MeterStart);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), start.Timestamp);
        Assert.Equal(7, start.ReservationId);

        var started = RoundTrip(Started, V16JsonContext.Default.StartTransactionResponse);
        Assert.Equal(AuthorizationStatus.Accepted, started.IdTagInfo.Status);
        Assert.Equal("FLEET-1", started.IdTagInfo.ParentIdTag);
        Assert.Equal(4711, started.TransactionId);

        var meter = RoundTrip(Meter, V16JsonContext.Default.MeterValuesRequest);
        var samples = Assert.Single(meter.MeterValue).SampledValue;
        Assert.Equal(3, samples.Count);
        Assert.Equal(Measurand.EnergyActiveImportRegister, samples[0].Measurand);
        Assert.Equal(ReadingContext.SamplePeriodic, samples[0].Context);
        Assert.Equal(ValueFormat.Raw, samples[0].Format);
        Assert.Equal(Location.Outlet, samples[0].Location);
        Assert.Equal(UnitOfMeasure.KWh, samples[0].Unit);
        Assert.Equal("15.432", samples[0].Value);
        Assert.Equal(Phase.L1N, samples[1].Phase);
        Assert.Equal(UnitOfMeasure.A, samples[1].Unit);
        Assert.Null(samples[1].Context);
        Assert.Equal(UnitOfMeasure.Celsius, samples[2].Unit);

        var stop = RoundTrip(Stop, V16JsonContext.Default.StopTransactionRequest);
        Assert.Equal(Reason.EVDisconnected, stop.Reason);
        Assert.Equal(TimeSpan.FromHours(1), stop.Timestamp.Offset);
        Assert.Equal(ReadingContext.TransactionBegin, Assert.Single(Assert.Single(stop.TransactionData!).SampledValue).Context);
    }

    [Fact]
    public void A_2_0_1_transaction_event_round_trips_with_id_token_and_sampled_values()
    {
        const string Json = """
            {"eventType":"Started","timestamp":"2025-03-04T05:06:07.123Z","triggerReason":"Authorized","seqNo":0,
             "transactionInfo":{"transactionId":"f3b1c2d4-0001","chargingState":"Charging"},
             "idToken":{"idToken":"04A2B3C4D5E6F7","type":"ISO14443"},
             "evse":{"id":1,"connectorId":2},
             "meterValue":[{"timestamp":"2025-03-04T05:06:07Z","sampledValue":[
               {"value":12.345,"context":"Transaction.Begin","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"kWh","multiplier":0}},
               {"value":230.1,"measurand":"Voltage","phase":"L1-N","location":"Outlet"}]}],
             "customData":{"vendorId":"com.example","firmwareBuild":"b42","flags":[1,2]}}
            """;

        var tx = RoundTrip(Json, V201.V201JsonContext.Default.TransactionEventRequest);

        Assert.Equal(V201.TransactionEventEnumType.Started, tx.EventType);
        Assert.Equal(V201.TriggerReasonEnumType.Authorized, tx.TriggerReason);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 123, TimeSpan.Zero), tx.Timestamp);
        Assert.Equal(0, tx.SeqNo);
        Assert.Equal("f3b1c2d4-0001", tx.TransactionInfo.TransactionId);
        Assert.Equal(V201.ChargingStateEnumType.Charging, tx.TransactionInfo.ChargingState);
        Assert.Equal("04A2B3C4D5E6F7", tx.IdToken!.IdToken);
        Assert.Equal(V201.IdTokenEnumType.ISO14443, tx.IdToken.Type);
        Assert.Equal(2, tx.Evse!.ConnectorId);
        var samples = Assert.Single(tx.MeterValue!).SampledValue;
        Assert.Equal(12.345m, samples[0].Value);
        Assert.Equal(V201.MeasurandEnumType.EnergyActiveImportRegister, samples[0].Measurand);
        Assert.Equal(V201.ReadingContextEnumType.TransactionBegin, samples[0].Context);
        Assert.Equal("kWh", samples[0].UnitOfMeasure!.Unit);
        Assert.Equal(V201.PhaseEnumType.L1N, samples[1].Phase);
        Assert.Equal(V201.LocationEnumType.Outlet, samples[1].Location);
        Assert.Equal("com.example", tx.CustomData!.VendorId);
        Assert.Equal("b42", tx.CustomData.AdditionalProperties!["firmwareBuild"].GetString());
    }

    private static T RoundTrip<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var model = JsonSerializer.Deserialize(json, typeInfo)!;
        var written = JsonSerializer.Serialize(model, typeInfo);
        Assert.Null(JsonContent.FirstDifference(json, written));
        return model;
    }
}
