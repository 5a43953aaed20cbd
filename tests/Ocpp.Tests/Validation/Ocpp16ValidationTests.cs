using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;
using static Csms.Ocpp.Tests.Validation.Payloads;

namespace Csms.Ocpp.Tests.Validation;

public class Ocpp16ValidationTests
{
    private static SchemaValidationResult Request(string action, string json) =>
        Validate(OcppVersion.V16, action, OcppMessageKind.Request, json);

    [Fact]
    public void BootNotification_with_vendor_and_model_is_valid()
    {
        AssertValid(Request("BootNotification", """{"chargePointVendor":"Acme","chargePointModel":"X1","firmwareVersion":"1.0"}"""));
    }

    [Fact]
    public void BootNotification_without_model_is_an_OccurrenceConstraintViolation()
    {
        AssertInvalid(Request("BootNotification", """{"chargePointVendor":"Acme"}"""),
            OcppErrorCode.OccurrenceConstraintViolation, "chargePointModel: required property missing");
    }

    [Fact]
    public void BootNotification_with_an_unknown_property_is_a_FormatViolation()
    {
        AssertInvalid(Request("BootNotification", """{"chargePointVendor":"Acme","chargePointModel":"X1","foo":1}"""),
            OcppErrorCode.FormatViolation, "foo: property not allowed");
    }

    [Fact]
    public void BootNotification_with_a_numeric_vendor_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("BootNotification", """{"chargePointVendor":4711,"chargePointModel":"X1"}"""),
            OcppErrorCode.TypeConstraintViolation, "chargePointVendor: must be of type string", "4711");
    }

    [Fact]
    public void BootNotification_reports_the_first_violation_in_schema_order_before_unexpected_properties()
    {
        // chargePointModel precedes meterType in the schema; the unknown property is reported last
        AssertInvalid(Request("BootNotification", """{"zzz":1,"meterType":"0123456789012345678901234567","chargePointVendor":"Acme"}"""),
            OcppErrorCode.OccurrenceConstraintViolation, "chargePointModel: required property missing");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"BootNotification\"")]
    [InlineData("null")]
    [InlineData("42")]
    public void A_payload_that_is_not_a_JSON_object_is_a_FormatViolation(string payload)
    {
        AssertInvalid(Request("BootNotification", payload), OcppErrorCode.FormatViolation, "payload: not a JSON object");
    }

    [Fact]
    public void BootNotificationResponse_with_an_unknown_status_is_a_PropertyConstraintViolation()
    {
        var result = Validate(OcppVersion.V16, "BootNotification", OcppMessageKind.Response,
            """{"status":"Maybe","currentTime":"2025-01-01T00:00:00Z","interval":300}""");

        AssertInvalid(result, OcppErrorCode.PropertyConstraintViolation, "status: not one of the allowed values", "Maybe");
    }

    [Fact]
    public void StartTransaction_with_all_required_fields_is_valid()
    {
        AssertValid(Request("StartTransaction", """{"connectorId":1,"idTag":"ABCDEF0123456789ABCD","meterStart":0,"timestamp":"2025-03-01T12:00:00.123+01:00"}"""));
    }

    [Fact]
    public void StartTransaction_with_idTag_over_20_characters_is_a_PropertyConstraintViolation()
    {
        const string idTag = "ABCDEF0123456789ABCDE";

        AssertInvalid(Request("StartTransaction", $$"""{"connectorId":1,"idTag":"{{idTag}}","meterStart":0,"timestamp":"2025-03-01T12:00:00Z"}"""),
            OcppErrorCode.PropertyConstraintViolation, "idTag: longer than maxLength 20", idTag);
    }

    [Fact]
    public void StartTransaction_counts_idTag_length_in_code_points_not_UTF16_units()
    {
        // 20 emoji: 40 UTF-16 units and 80 UTF-8 bytes, but 20 characters
        var idTag = string.Concat(Enumerable.Repeat("😀", 20));

        AssertValid(Request("StartTransaction", $$"""{"connectorId":1,"idTag":"{{idTag}}","meterStart":0,"timestamp":"2025-03-01T12:00:00Z"}"""));
        AssertInvalid(Request("StartTransaction", $$"""{"connectorId":1,"idTag":"{{idTag}}x","meterStart":0,"timestamp":"2025-03-01T12:00:00Z"}"""),
            OcppErrorCode.PropertyConstraintViolation, "idTag: longer than maxLength 20");
    }

    [Fact]
    public void StartTransaction_counts_escaped_characters_once()
    {
        // each \u0041 is six bytes on the wire but one character
        var idTag = string.Concat(Enumerable.Repeat("\\u0041", 20));

        AssertValid(Request("StartTransaction", $$"""{"connectorId":1,"idTag":"{{idTag}}","meterStart":0,"timestamp":"2025-03-01T12:00:00Z"}"""));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1e0")]
    public void StartTransaction_accepts_an_integral_connectorId_however_it_is_written(string connectorId)
    {
        AssertValid(Request("StartTransaction", $$"""{"connectorId":{{connectorId}},"idTag":"A","meterStart":5.0,"timestamp":"2025-03-01T12:00:00Z"}"""));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("\"1\"")]
    [InlineData("true")]
    public void StartTransaction_with_a_non_integer_connectorId_is_a_TypeConstraintViolation(string connectorId)
    {
        AssertInvalid(Request("StartTransaction", $$"""{"connectorId":{{connectorId}},"idTag":"A","meterStart":0,"timestamp":"2025-03-01T12:00:00Z"}"""),
            OcppErrorCode.TypeConstraintViolation, "connectorId: must be of type integer", connectorId);
    }

    [Theory]
    [InlineData("2025-03-01 12:00:00Z")]
    [InlineData("2025-03-01T12:00:00")]
    [InlineData("2025-02-30T12:00:00Z")]
    [InlineData("2025-03-01T24:00:00Z")]
    [InlineData("2025-03-01T12:00:00.Z")]
    [InlineData("2025-03-01T12:00:00+0100")]
    [InlineData("yesterday")]
    public void StartTransaction_with_a_timestamp_that_is_not_RFC_3339_is_a_PropertyConstraintViolation(string timestamp)
    {
        AssertInvalid(Request("StartTransaction", $$"""{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"{{timestamp}}"}"""),
            OcppErrorCode.PropertyConstraintViolation, "timestamp: not an RFC 3339 date-time", timestamp);
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("2025-03-01t12:00:00z")]
    [InlineData("2025-03-01T12:00:00.123456789-05:30")]
    [InlineData("2016-12-31T23:59:60Z")]
    public void StartTransaction_accepts_RFC_3339_timestamps(string timestamp)
    {
        AssertValid(Request("StartTransaction", $$"""{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"{{timestamp}}"}"""));
    }

    [Fact]
    public void StatusNotification_with_a_known_status_is_valid()
    {
        AssertValid(Request("StatusNotification", """{"connectorId":0,"errorCode":"NoError","status":"Available","timestamp":"2025-03-01T12:00:00Z"}"""));
    }

    [Fact]
    public void StatusNotification_status_is_matched_case_sensitively()
    {
        AssertInvalid(Request("StatusNotification", """{"connectorId":0,"errorCode":"NoError","status":"available"}"""),
            OcppErrorCode.PropertyConstraintViolation, "status: not one of the allowed values", "available");
    }

    [Fact]
    public void StatusNotification_with_a_numeric_status_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("StatusNotification", """{"connectorId":0,"errorCode":"NoError","status":3}"""),
            OcppErrorCode.TypeConstraintViolation, "status: must be of type string");
    }

    [Fact]
    public void MeterValues_with_nested_sampled_values_is_valid()
    {
        AssertValid(Request("MeterValues", """
            {"connectorId":1,"transactionId":7,"meterValue":[
              {"timestamp":"2025-03-01T12:00:00Z","sampledValue":[{"value":"10","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}
            """));
    }

    [Fact]
    public void MeterValues_reports_the_array_path_of_a_bad_sampled_value()
    {
        AssertInvalid(Request("MeterValues", """
            {"connectorId":1,"meterValue":[
              {"timestamp":"2025-03-01T12:00:00Z","sampledValue":[{"value":"1"}]},
              {"timestamp":"2025-03-01T12:01:00Z","sampledValue":[{"value":"2"},{"value":"3","unit":"Parsecs"}]}]}
            """),
            OcppErrorCode.PropertyConstraintViolation, "meterValue[1].sampledValue[1].unit: not one of the allowed values", "Parsecs");
    }

    [Fact]
    public void MeterValues_with_an_unknown_property_inside_a_sampled_value_is_a_FormatViolation()
    {
        AssertInvalid(Request("MeterValues", """
            {"connectorId":1,"meterValue":[{"timestamp":"2025-03-01T12:00:00Z","sampledValue":[{"value":"1","extra":true}]}]}
            """),
            OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].extra: property not allowed");
    }

    [Fact]
    public void MeterValues_with_a_meter_value_that_is_not_an_object_is_a_TypeConstraintViolation()
    {
        AssertInvalid(Request("MeterValues", """{"connectorId":1,"meterValue":["12"]}"""),
            OcppErrorCode.TypeConstraintViolation, "meterValue[0]: must be of type object");
    }

    [Fact]
    public void SetChargingProfile_limit_must_be_a_multiple_of_one_tenth_in_decimal_arithmetic()
    {
        static string Profile(string limit) => """
            {"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile",
             "chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":LIMIT}]}}}
            """.Replace("LIMIT", limit, StringComparison.Ordinal);

        AssertValid(Request("SetChargingProfile", Profile("0.3")));
        AssertValid(Request("SetChargingProfile", Profile("16")));
        AssertValid(Request("SetChargingProfile", Profile("1.2e1")));
        AssertInvalid(Request("SetChargingProfile", Profile("16.05")), OcppErrorCode.PropertyConstraintViolation,
            "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit: not a multiple of 0.1", "16.05");
    }

    [Theory]
    [InlineData("ftp://diag.example.com/upload")]
    [InlineData("https://example.com/a%20b?x=1")]
    [InlineData("urn:isbn:0451450523")]
    public void GetDiagnostics_accepts_an_absolute_location_URI(string location)
    {
        AssertValid(Request("GetDiagnostics", $$"""{"location":"{{location}}"}"""));
    }

    [Theory]
    [InlineData("/var/log/diag")]
    [InlineData("diag.example.com/upload")]
    [InlineData("https://example.com/a b")]
    [InlineData("1http://example.com")]
    public void GetDiagnostics_with_a_location_that_is_not_an_absolute_URI_is_a_PropertyConstraintViolation(string location)
    {
        AssertInvalid(Request("GetDiagnostics", $$"""{"location":"{{location}}"}"""),
            OcppErrorCode.PropertyConstraintViolation, "location: not an absolute URI", location);
    }
}
