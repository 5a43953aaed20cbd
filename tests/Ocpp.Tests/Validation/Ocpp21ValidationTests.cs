using Csms.Ocpp.Framing;
using Csms.Ocpp.Validation;
using static Csms.Ocpp.Tests.Validation.Payloads;

namespace Csms.Ocpp.Tests.Validation;

public class Ocpp21ValidationTests
{
    private static SchemaValidationResult Send(string json) =>
        Validate(OcppVersion.V21, "NotifyPeriodicEventStream", OcppMessageKind.Send, json);

    [Fact]
    public void NotifyPeriodicEventStream_SEND_with_data_is_valid()
    {
        AssertValid(Send("""{"id":1,"pending":0,"basetime":"2025-03-01T12:00:00Z","data":[{"t":0,"v":"230.1"},{"t":1.5,"v":"230.4"}]}"""));
    }

    [Fact]
    public void NotifyPeriodicEventStream_SEND_with_a_negative_id_is_a_PropertyConstraintViolation()
    {
        AssertInvalid(Send("""{"id":-7,"pending":0,"basetime":"2025-03-01T12:00:00Z","data":[{"t":0,"v":"1"}]}"""),
            OcppErrorCode.PropertyConstraintViolation, "id: less than minimum 0", "-7");
    }

    [Fact]
    public void NotifyPeriodicEventStream_SEND_without_data_is_an_OccurrenceConstraintViolation()
    {
        AssertInvalid(Send("""{"id":1,"pending":0,"basetime":"2025-03-01T12:00:00Z"}"""),
            OcppErrorCode.OccurrenceConstraintViolation, "data: required property missing");
    }

    [Fact]
    public void NotifyPeriodicEventStream_SEND_with_an_incomplete_element_names_its_index()
    {
        AssertInvalid(Send("""{"id":1,"pending":0,"basetime":"2025-03-01T12:00:00Z","data":[{"t":0,"v":"1"},{"t":1}]}"""),
            OcppErrorCode.OccurrenceConstraintViolation, "data[1].v: required property missing");
    }

    [Fact]
    public void NotifyPeriodicEventStream_is_not_a_request_in_2_1()
    {
        var result = Validate(OcppVersion.V21, "NotifyPeriodicEventStream", OcppMessageKind.Request, "{}");

        Assert.False(result.IsValid);
        Assert.Equal(OcppErrorCode.NotImplemented, result.Error);
    }

    [Fact]
    public void BootNotification_2_1_request_with_an_unknown_property_is_a_FormatViolation()
    {
        AssertInvalid(Validate(OcppVersion.V21, "BootNotification", OcppMessageKind.Request,
                """{"reason":"PowerUp","chargingStation":{"model":"X1","vendorName":"Acme"},"foo":{}}"""),
            OcppErrorCode.FormatViolation, "foo: property not allowed");
    }

    [Fact]
    public void A_long_unexpected_property_name_is_clipped_in_the_description()
    {
        var name = new string('q', 500);

        var result = Validate(OcppVersion.V21, "Heartbeat", OcppMessageKind.Request, $$"""{"{{name}}":1}""");

        Assert.Equal(OcppErrorCode.FormatViolation, result.Error);
        Assert.True(result.Description.Length <= 64, result.Description);
        Assert.EndsWith(": property not allowed", result.Description, StringComparison.Ordinal);
    }
}
