using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;
using static Csms.Ocpp.Tests.Validation.Payloads;

namespace Csms.Ocpp.Tests.Validation;

public class Ocpp201ValidationTests
{
    private const string ValidTransactionEvent = """
        {"eventType":"Updated","timestamp":"2025-03-01T12:00:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,
         "transactionInfo":{"transactionId":"tx-1","chargingState":"Charging"},
         "evse":{"id":1,"connectorId":1},
         "idToken":{"idToken":"04A1B2C3","type":"ISO14443"},
         "meterValue":[{"timestamp":"2025-03-01T12:00:00Z","sampledValue":[{"value":1234.5,"measurand":"Energy.Active.Import.Register"}]}]}
        """;

    private static SchemaValidationResult Request(string action, string json) =>
        Validate(OcppVersion.V201, action, OcppMessageKind.Request, json);

    [Fact]
    public void BootNotification_with_a_charging_station_is_valid()
    {
        AssertValid(Request("BootNotification", """
            {"reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme","modem":{"iccid":"8931","imsi":"2040"}}}
            """));
    }

    [Fact]
    public void BootNotification_without_the_model_of_the_nested_charging_station_is_an_OccurrenceConstraintViolation()
    {
        AssertInvalid(Request("BootNotification", """{"reason":"PowerUp","chargingStation":{"vendorName":"Acme"}}"""),
            OcppErrorCode.OccurrenceConstraintViolation, "chargingStation.model: required property missing");
    }

    [Fact]
    public void BootNotification_with_an_over_long_modem_iccid_names_the_full_path()
    {
        const string iccid = "893100000000000000001";

        AssertInvalid(Request("BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme","modem":{"iccid":"ICCID"}}}""".Replace("ICCID", iccid, StringComparison.Ordinal)),
            OcppErrorCode.PropertyConstraintViolation, "chargingStation.modem.iccid: longer than maxLength 20", iccid);
    }

    [Fact]
    public void BootNotification_with_an_unknown_reason_is_a_PropertyConstraintViolation()
    {
        AssertInvalid(Request("BootNotification", """{"reason":"Lightning","chargingStation":{"model":"X1","vendorName":"Acme"}}"""),
            OcppErrorCode.PropertyConstraintViolation, "reason: not one of the allowed values", "Lightning");
    }

    [Fact]
    public void BootNotification_with_an_unknown_property_in_the_charging_station_is_a_FormatViolation()
    {
        AssertInvalid(Request("BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme","color":"red"}}"""),
            OcppErrorCode.FormatViolation, "chargingStation.color: property not allowed", "red");
    }

    [Fact]
    public void BootNotification_accepts_vendor_specific_properties_inside_customData()
    {
        AssertValid(Request("BootNotification", """
            {"customData":{"vendorId":"com.acme","firmwareChannel":"beta","nested":{"any":[1,2,3]}},
             "reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme","customData":{"vendorId":"com.acme","x":1}}}
            """));
    }

    [Fact]
    public void BootNotification_customData_still_requires_its_vendorId()
    {
        AssertInvalid(Request("BootNotification", """{"customData":{"x":1},"reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme"}}"""),
            OcppErrorCode.OccurrenceConstraintViolation, "customData.vendorId: required property missing");
    }

    [Fact]
    public void BootNotification_with_a_string_for_the_charging_station_object_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("BootNotification", """{"reason":"PowerUp","chargingStation":"X1 by Acme"}"""),
            OcppErrorCode.TypeConstraintViolation, "chargingStation: must be of type object", "X1 by Acme");
    }

    [Fact]
    public void StatusNotification_with_all_required_fields_is_valid()
    {
        AssertValid(Request("StatusNotification", """{"timestamp":"2025-03-01T12:00:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}"""));
    }

    [Fact]
    public void StatusNotification_uses_the_2_0_1_status_values_not_the_1_6_ones()
    {
        AssertInvalid(Request("StatusNotification", """{"timestamp":"2025-03-01T12:00:00Z","connectorStatus":"Charging","evseId":1,"connectorId":1}"""),
            OcppErrorCode.PropertyConstraintViolation, "connectorStatus: not one of the allowed values", "Charging");
    }

    [Fact]
    public void StatusNotification_with_a_fractional_evseId_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("StatusNotification", """{"timestamp":"2025-03-01T12:00:00Z","connectorStatus":"Occupied","evseId":5.5,"connectorId":1}"""),
            OcppErrorCode.TypeConstraintViolation, "evseId: must be of type integer", "5.5");
    }

    [Fact]
    public void StatusNotification_with_evseId_written_as_5_point_0_is_valid()
    {
        AssertValid(Request("StatusNotification", """{"timestamp":"2025-03-01T12:00:00Z","connectorStatus":"Occupied","evseId":5.0,"connectorId":1}"""));
    }

    [Fact]
    public void StatusNotification_with_a_timestamp_without_offset_is_a_PropertyConstraintViolation()
    {
        AssertInvalid(Request("StatusNotification", """{"timestamp":"2025-03-01T12:00:00","connectorStatus":"Occupied","evseId":1,"connectorId":1}"""),
            OcppErrorCode.PropertyConstraintViolation, "timestamp: not an RFC 3339 date-time", "2025-03-01");
    }

    [Fact]
    public void TransactionEvent_with_meter_values_and_nested_references_is_valid()
    {
        AssertValid(Request("TransactionEvent", ValidTransactionEvent));
    }

    [Fact]
    public void TransactionEvent_with_an_empty_meterValue_array_is_an_OccurrenceConstraintViolation()
    {
        AssertInvalid(Request("TransactionEvent", ValidTransactionEvent.Replace("\"meterValue\":[{", "\"meterValue\":[],\"x\":[{", StringComparison.Ordinal)),
            OcppErrorCode.OccurrenceConstraintViolation, "meterValue: at least 1 item required");
    }

    [Fact]
    public void TransactionEvent_with_an_empty_sampledValue_array_names_its_path()
    {
        AssertInvalid(Request("TransactionEvent", """
            {"eventType":"Updated","timestamp":"2025-03-01T12:00:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,
             "transactionInfo":{"transactionId":"tx-1"},"meterValue":[{"timestamp":"2025-03-01T12:00:00Z","sampledValue":[]}]}
            """),
            OcppErrorCode.OccurrenceConstraintViolation, "meterValue[0].sampledValue: at least 1 item required");
    }

    [Fact]
    public void TransactionEvent_with_a_string_sampled_value_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("TransactionEvent", ValidTransactionEvent.Replace("\"value\":1234.5", "\"value\":\"1234.5\"", StringComparison.Ordinal)),
            OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].value: must be of type number", "1234.5");
    }

    [Fact]
    public void TransactionEvent_without_the_transactionId_of_its_transactionInfo_is_an_OccurrenceConstraintViolation()
    {
        AssertInvalid(Request("TransactionEvent", ValidTransactionEvent.Replace("\"transactionId\":\"tx-1\",", "", StringComparison.Ordinal)),
            OcppErrorCode.OccurrenceConstraintViolation, "transactionInfo.transactionId: required property missing");
    }

    [Fact]
    public void TransactionEvent_with_a_boolean_seqNo_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("TransactionEvent", ValidTransactionEvent.Replace("\"seqNo\":3", "\"seqNo\":true", StringComparison.Ordinal)),
            OcppErrorCode.TypeConstraintViolation, "seqNo: must be of type integer");
    }

    [Fact]
    public void TransactionEvent_with_an_over_long_idToken_is_a_PropertyConstraintViolation()
    {
        var token = new string('A', 37);

        AssertInvalid(Request("TransactionEvent", ValidTransactionEvent.Replace("04A1B2C3", token, StringComparison.Ordinal)),
            OcppErrorCode.PropertyConstraintViolation, "idToken.idToken: longer than maxLength 36", token);
    }

    [Fact]
    public void Authorize_with_more_than_4_certificate_hashes_is_an_OccurrenceConstraintViolation()
    {
        const string hash = """{"hashAlgorithm":"SHA256","issuerNameHash":"a","issuerKeyHash":"b","serialNumber":"c","responderURL":"http://ocsp.example.com"}""";
        static string Authorize(int hashes) =>
            $$"""{"idToken":{"idToken":"04A1B2C3","type":"ISO14443"},"iso15118CertificateHashData":[{{string.Join(",", Enumerable.Repeat(hash, hashes))}}]}""";

        AssertValid(Request("Authorize", Authorize(4)));
        AssertInvalid(Request("Authorize", Authorize(5)), OcppErrorCode.OccurrenceConstraintViolation,
            "iso15118CertificateHashData: at most 4 items allowed");
        AssertInvalid(Request("Authorize", Authorize(0)), OcppErrorCode.OccurrenceConstraintViolation,
            "iso15118CertificateHashData: at least 1 item required");
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("100", true)]
    [InlineData("100.0", true)]
    [InlineData("101", false)]
    public void NotifyEVChargingNeeds_stateOfCharge_is_capped_at_maximum_100(string stateOfCharge, bool valid)
    {
        var result = Request("NotifyEVChargingNeeds", """
            {"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC","dcChargingParameters":{"evMaxCurrent":100,"evMaxVoltage":500,"stateOfCharge":SOC}}}
            """.Replace("SOC", stateOfCharge, StringComparison.Ordinal));

        if (valid)
        {
            AssertValid(result);
        }
        else
        {
            AssertInvalid(result, OcppErrorCode.PropertyConstraintViolation,
                "chargingNeeds.dcChargingParameters.stateOfCharge: greater than maximum 100", stateOfCharge);
        }
    }

    [Fact]
    public void NotifyEVChargingNeeds_stateOfCharge_below_minimum_0_is_a_PropertyConstraintViolation()
    {
        AssertInvalid(Request("NotifyEVChargingNeeds", """
            {"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC","dcChargingParameters":{"evMaxCurrent":100,"evMaxVoltage":500,"stateOfCharge":-1}}}
            """),
            OcppErrorCode.PropertyConstraintViolation, "chargingNeeds.dcChargingParameters.stateOfCharge: less than minimum 0");
    }

    [Fact]
    public void A_response_is_checked_against_the_response_schema()
    {
        var result = Validate(OcppVersion.V201, "BootNotification", OcppMessageKind.Response,
            """{"currentTime":"2025-03-01T12:00:00Z","interval":300}""");

        AssertInvalid(result, OcppErrorCode.OccurrenceConstraintViolation, "status: required property missing");
    }
}
