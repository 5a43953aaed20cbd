using System.Text;
using System.Text.Json;
using Csms.Ocpp;
using Csms.Ocpp.Framing;

namespace Csms.Ocpp.Tests.Framing;

public class OcppFrameReaderTests
{
    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    [InlineData(OcppVersion.V21)]
    public void A_well_formed_CALL_is_read_with_its_id_action_and_payload(OcppVersion version)
    {
        var frame = Read("""[2, "19223201", "BootNotification", {"reason": "PowerUp"}]""", version);

        var call = Assert.IsType<CallFrame>(frame);
        Assert.Equal("19223201", call.MessageId);
        Assert.Equal("BootNotification", call.Action);
        Assert.Equal("PowerUp", call.Payload.GetProperty("reason").GetString());
    }

    [Fact]
    public void A_CALLRESULT_and_a_CALLERROR_are_read()
    {
        var result = Assert.IsType<CallResultFrame>(Read("""[3, "a", {"status": "Accepted"}]""", OcppVersion.V201));
        Assert.Equal("Accepted", result.Payload.GetProperty("status").GetString());

        var error = Assert.IsType<CallErrorFrame>(Read("""[4, "b", "NotSupported", "no", {}]""", OcppVersion.V201));
        Assert.Equal(("b", "NotSupported", "no"), (error.MessageId, error.ErrorCode, error.Description));
    }

    [Fact]
    public void A_null_payload_means_the_empty_object_as_OCPP_J_4_1_5_allows()
    {
        var call = Assert.IsType<CallFrame>(Read("""[2, "1", "Heartbeat", null]""", OcppVersion.V16));
        Assert.Equal(JsonValueKind.Object, call.Payload.ValueKind);
    }

    [Theory]
    [InlineData("not json", "message is not valid JSON")]
    [InlineData("{\"a\":1}", "message is not a JSON array")]
    [InlineData("[]", "message has fewer than 3 elements")]
    [InlineData("[2, 5]", "message has fewer than 3 elements")]
    [InlineData("[\"2\", \"1\", \"Heartbeat\", {}]", "MessageTypeId is not an integer")]
    [InlineData("[2.5, \"1\", \"Heartbeat\", {}]", "MessageTypeId is not an integer")]
    [InlineData("[2, 17, \"Heartbeat\", {}]", "MessageId is not a string")]
    [InlineData("[2, \"\", \"Heartbeat\", {}]", "MessageId must be 1 to 36 characters")]
    public void An_unreadable_frame_is_answered_with_id_minus_one_and_RpcFrameworkError(string text, string description)
    {
        var error = ReadError(text, OcppVersion.V201);

        Assert.Equal(FrameError.UnreadableMessageId, error.MessageId);
        Assert.Equal(OcppErrorCode.RpcFrameworkError, error.Code);
        Assert.Equal(description, error.Description);
        Assert.Equal(FrameErrorReply.CallError, error.Reply);
    }

    [Fact]
    public void An_unreadable_frame_in_1_6_is_a_FormationViolation_on_the_wire()
    {
        var error = ReadError("not json", OcppVersion.V16);

        var answer = JsonDocument.Parse(OcppFrameWriter.Error(error, OcppVersion.V16)).RootElement;
        Assert.Equal(4, answer[0].GetInt32());
        Assert.Equal("-1", answer[1].GetString());
        Assert.Equal("FormationViolation", answer[2].GetString());
        Assert.Equal(JsonValueKind.Object, answer[4].ValueKind);
    }

    [Fact]
    public void A_message_id_longer_than_36_characters_is_not_echoed()
    {
        var error = ReadError($"[2, \"{new string('x', 37)}\", \"Heartbeat\", {{}}]", OcppVersion.V201);

        Assert.Equal("-1", error.MessageId);
        Assert.Equal(OcppErrorCode.RpcFrameworkError, error.Code);
    }

    [Fact]
    public void A_message_id_of_exactly_36_characters_is_accepted()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal(36, id.Length);
        Assert.Equal(id, Read($"[2, \"{id}\", \"Heartbeat\", {{}}]", OcppVersion.V201).MessageId);
    }

    [Theory]
    [InlineData(OcppVersion.V201, 7)]
    [InlineData(OcppVersion.V201, 5)]
    [InlineData(OcppVersion.V201, 6)]
    [InlineData(OcppVersion.V16, 1)]
    [InlineData(OcppVersion.V21, 99)]
    public void An_unknown_message_type_number_is_MessageTypeNotSupported_with_the_id(OcppVersion version, int type)
    {
        var error = ReadError($"[{type}, \"42\", \"Heartbeat\", {{}}]", version);

        Assert.Equal("42", error.MessageId);
        Assert.Equal(OcppErrorCode.MessageTypeNotSupported, error.Code);
        Assert.Equal(version == OcppVersion.V16 ? "FormationViolation" : "MessageTypeNotSupported", error.Code.Spelling(version));
    }

    [Fact]
    public void CALLRESULTERROR_and_SEND_exist_only_in_2_1()
    {
        Assert.IsType<CallErrorFrame>(Read("""[5, "1", "FormatViolation", "bad", {}]""", OcppVersion.V21));
        var send = Assert.IsType<SendFrame>(Read("""[6, "2", "NotifyPeriodicEventStream", {"id": 1}]""", OcppVersion.V21));
        Assert.Equal("NotifyPeriodicEventStream", send.Action);
    }

    [Theory]
    [InlineData("""[2, "1", "Heartbeat"]""", OcppErrorCode.RpcFrameworkError)]
    [InlineData("""[2, "1", "Heartbeat", {}, 5]""", OcppErrorCode.RpcFrameworkError)]
    [InlineData("""[2, "1", 5, {}]""", OcppErrorCode.RpcFrameworkError)]
    [InlineData("""[2, "1", "", {}]""", OcppErrorCode.RpcFrameworkError)]
    [InlineData("""[2, "1", "Heartbeat", []]""", OcppErrorCode.FormatViolation)]
    [InlineData("""[2, "1", "Heartbeat", "x"]""", OcppErrorCode.FormatViolation)]
    public void A_malformed_CALL_is_answered_with_its_own_id(string text, OcppErrorCode code)
    {
        var error = ReadError(text, OcppVersion.V201);

        Assert.Equal("1", error.MessageId);
        Assert.Equal(code, error.Code);
        Assert.Equal(FrameErrorReply.CallError, error.Reply);
    }

    [Fact]
    public void A_malformed_CALLRESULT_is_never_answered_with_a_CALLERROR_before_2_1()
    {
        Assert.Equal(FrameErrorReply.None, ReadError("""[3, "1", "x"]""", OcppVersion.V201).Reply);
        Assert.Equal(FrameErrorReply.CallResultError, ReadError("""[3, "1", "x"]""", OcppVersion.V21).Reply);
    }

    [Fact]
    public void A_malformed_SEND_is_never_answered()
    {
        Assert.Equal(FrameErrorReply.None, ReadError("""[6, "1", 5, {}]""", OcppVersion.V21).Reply);
    }

    [Fact]
    public void Deep_nesting_is_refused_without_a_stack_overflow()
    {
        var text = "[2, \"1\", \"DataTransfer\", " + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "]";

        Assert.Equal(OcppErrorCode.RpcFrameworkError, ReadError(text, OcppVersion.V201).Code);
    }

    [Fact]
    public void Invalid_UTF_8_is_refused_as_unreadable()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("[2, \"1\", \"Heartbeat\", {\"x\": \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}]")];

        Assert.False(OcppFrameReader.TryRead(bytes, OcppVersion.V201, out _, out var error));
        Assert.Equal("-1", error!.MessageId);
    }

    [Fact]
    public void Huge_numbers_do_not_break_the_reader()
    {
        var error = ReadError("[1e400, \"1\", \"Heartbeat\", {}]", OcppVersion.V201);
        Assert.Equal(OcppErrorCode.RpcFrameworkError, error.Code);

        var call = Assert.IsType<CallFrame>(Read("[2, \"1\", \"Heartbeat\", {\"n\": 1e400}]", OcppVersion.V201));
        Assert.Equal(JsonValueKind.Number, call.Payload.GetProperty("n").ValueKind);
    }

    [Theory]
    [InlineData("[2, \"1\", \"Heartbeat\", {}], [2, \"2\", \"Heartbeat\", {}]")]
    [InlineData("[2, \"1\", \"Heartbeat\", {}] x")]
    [InlineData("[2, \"1\", \"Heartbeat\", {}]\n\b")]
    public void A_second_message_or_junk_after_the_frame_is_not_ignored(string text)
    {
        var error = ReadError(text, OcppVersion.V201);

        Assert.Equal("1", error.MessageId);
        Assert.Equal(OcppErrorCode.RpcFrameworkError, error.Code);
        Assert.Equal(FrameErrorReply.CallError, error.Reply);
    }

    [Fact]
    public void Whitespace_around_the_frame_is_allowed() =>
        Assert.IsType<CallFrame>(Read(" \r\n\t[2, \"1\", \"Heartbeat\", {}] \r\n\t", OcppVersion.V16));

    [Theory]
    [InlineData("[2, \"abc\", \"Heartbeat\", {", "message is not valid JSON")]
    [InlineData("[2, \"abc\", \"Heartbeat\", {\"a\": NaN}]", "message is not valid JSON")]
    [InlineData("[2, \"abc\"", "message is not valid JSON")]
    public void A_CALL_that_breaks_off_after_a_readable_id_is_answered_with_that_id(string text, string description)
    {
        var error = ReadError(text, OcppVersion.V201);

        Assert.Equal(("abc", OcppErrorCode.RpcFrameworkError, description, FrameErrorReply.CallError),
            (error.MessageId, error.Code, error.Description, error.Reply));
    }

    [Fact]
    public void A_CALL_nested_too_deep_is_answered_with_its_id_and_says_so()
    {
        var error = ReadError("[2, \"abc\", \"Heartbeat\", {\"a\": " + new string('[', 10_000) + new string(']', 10_000) + "}]", OcppVersion.V16);

        Assert.Equal(("abc", OcppErrorCode.RpcFrameworkError, "message nests deeper than 64 levels"), (error.MessageId, error.Code, error.Description));
    }

    [Theory]
    [InlineData("[3, \"abc\", {\"a\": ", OcppVersion.V201, FrameErrorReply.None)]
    [InlineData("[3, \"abc\", {\"a\": ", OcppVersion.V21, FrameErrorReply.CallResultError)]
    [InlineData("[4, \"abc\", \"NotSupported\", ", OcppVersion.V201, FrameErrorReply.None)]
    [InlineData("[3, \"abc\"]", OcppVersion.V201, FrameErrorReply.None)]
    public void A_broken_answer_with_a_readable_id_is_not_answered_with_a_CALLERROR(string text, OcppVersion version, FrameErrorReply reply)
    {
        var error = ReadError(text, version);

        Assert.Equal(("abc", reply), (error.MessageId, error.Reply));
    }

    [Fact]
    public void A_CALL_with_fewer_than_3_elements_and_a_readable_id_is_answered_with_that_id()
    {
        var error = ReadError("[2, \"abc\"]", OcppVersion.V201);

        Assert.Equal(("abc", OcppErrorCode.RpcFrameworkError, FrameErrorReply.CallError), (error.MessageId, error.Code, error.Reply));
    }

    [Theory]
    [InlineData("[99999999999, \"abc\", \"Heartbeat\", {}]", "99999999999")]
    [InlineData("[-99999999999999999999, \"abc\", \"Heartbeat\", {}]", "-99999999999…")]
    [InlineData("[7, \"abc\", \"Heartbeat\", {]", "7")]
    [InlineData("[7, \"abc\"]", "7")]
    [InlineData("[99999999999, \"abc\", \"Heartbeat\", {]", "99999999999")]
    public void An_unknown_message_type_of_any_size_is_MessageTypeNotSupported_with_the_id(string text, string shownType)
    {
        var error = ReadError(text, OcppVersion.V201);

        Assert.Equal(("abc", OcppErrorCode.MessageTypeNotSupported, FrameErrorReply.CallError), (error.MessageId, error.Code, error.Reply));
        Assert.Equal($"MessageTypeId {shownType} is not supported in OCPP 2.0.1", error.Description);
    }

    [Theory]
    [InlineData("[2.0, \"abc\", \"Heartbeat\", {}]")]
    [InlineData("[2e0, \"abc\", \"Heartbeat\", {}]")]
    [InlineData("[2.0, \"abc\", \"Heartbeat\", {]")]
    public void A_MessageTypeId_written_with_a_fraction_or_exponent_is_not_an_integer(string text) =>
        Assert.Equal(FrameError.UnreadableMessageId, ReadError(text, OcppVersion.V201).MessageId);

    [Theory]
    [InlineData("[2, \"\\ud800\", \"Heartbeat\", {}]", "-1", OcppErrorCode.RpcFrameworkError, FrameErrorReply.CallError)]
    [InlineData("[2, \"a\\udc00\", \"Heartbeat\", {}]", "-1", OcppErrorCode.RpcFrameworkError, FrameErrorReply.CallError)]
    [InlineData("[2, \"1\", \"Heart\\ud800beat\", {}]", "1", OcppErrorCode.RpcFrameworkError, FrameErrorReply.CallError)]
    [InlineData("[2, \"1\", \"Authorize\", {\"idTag\": \"\\udbff\"}]", "1", OcppErrorCode.FormatViolation, FrameErrorReply.CallError)]
    [InlineData("[2, \"1\", \"Authorize\", {\"idTag\": \"\\ud800\\ud800\"}]", "1", OcppErrorCode.FormatViolation, FrameErrorReply.CallError)]
    [InlineData("[2, \"1\", \"Authorize\", {\"idTag\": \"\\ud800\\n\"}]", "1", OcppErrorCode.FormatViolation, FrameErrorReply.CallError)]
    [InlineData("[2, \"1\", \"Heartbeat\", {\"\\ud800\": 1}]", "1", OcppErrorCode.FormatViolation, FrameErrorReply.CallError)]
    [InlineData("[3, \"1\", {\"status\": \"\\udc00\"}]", "1", OcppErrorCode.FormatViolation, FrameErrorReply.None)]
    [InlineData("[4, \"1\", \"\\ud800\", \"\", {}]", "1", OcppErrorCode.RpcFrameworkError, FrameErrorReply.None)]
    [InlineData("[3, \"\\ud800x\", {}]", "-1", OcppErrorCode.RpcFrameworkError, FrameErrorReply.None)]
    [InlineData("[2, \"\\ud800\", \"Heartbeat\", {]", "-1", OcppErrorCode.RpcFrameworkError, FrameErrorReply.CallError)]
    public void An_escaped_unpaired_surrogate_is_refused_without_throwing(string text, string id, OcppErrorCode code, FrameErrorReply reply)
    {
        var error = ReadError(text, OcppVersion.V201);

        Assert.Equal((id, code, reply), (error.MessageId, error.Code, error.Reply));
    }

    [Fact]
    public void An_escaped_surrogate_pair_is_Unicode_text_and_reads()
    {
        var call = Assert.IsType<CallFrame>(Read("[2, \"\\ud83d\\ude00\", \"Authorize\", {\"idTag\": \"\\uD83D\\uDE00\\u0041\\\\u\"}]", OcppVersion.V16));

        Assert.Equal("\U0001F600", call.MessageId);
        Assert.Equal("\U0001F600A\\u", call.Payload.GetProperty("idTag").GetString());
    }

    [Fact]
    public void Error_descriptions_are_clipped_to_255_characters()
    {
        var frame = OcppFrameWriter.CallError("1", OcppErrorCode.GenericError, new string('d', 1000), OcppVersion.V201);

        Assert.Equal(255, JsonDocument.Parse(frame).RootElement[3].GetString()!.Length);
    }

    [Fact]
    public void Written_frames_read_back_as_they_were_written()
    {
        var call = Assert.IsType<CallFrame>(Read(OcppFrameWriter.Call("m1", "Reset", """{"type":"Soft"}"""), OcppVersion.V16));
        Assert.Equal(("m1", "Reset", "Soft"), (call.MessageId, call.Action, call.Payload.GetProperty("type").GetString()));

        var result = Assert.IsType<CallResultFrame>(Read(OcppFrameWriter.CallResult("m2", "{}"), OcppVersion.V16));
        Assert.Equal("m2", result.MessageId);
    }

    [Theory]
    [InlineData(OcppErrorCode.FormatViolation, "FormationViolation", "FormatViolation")]
    [InlineData(OcppErrorCode.OccurrenceConstraintViolation, "OccurenceConstraintViolation", "OccurrenceConstraintViolation")]
    [InlineData(OcppErrorCode.RpcFrameworkError, "FormationViolation", "RpcFrameworkError")]
    [InlineData(OcppErrorCode.TypeConstraintViolation, "TypeConstraintViolation", "TypeConstraintViolation")]
    [InlineData(OcppErrorCode.SecurityError, "SecurityError", "SecurityError")]
    public void Error_codes_use_each_versions_exact_spelling(OcppErrorCode code, string v16, string v201)
    {
        Assert.Equal(v16, code.Spelling(OcppVersion.V16));
        Assert.Equal(v201, code.Spelling(OcppVersion.V201));
        Assert.Equal(v201, code.Spelling(OcppVersion.V21));
    }

    [Theory]
    [InlineData("FormationViolation", OcppErrorCode.FormatViolation)]
    [InlineData("OccurenceConstraintViolation", OcppErrorCode.OccurrenceConstraintViolation)]
    [InlineData("NotSupported", OcppErrorCode.NotSupported)]
    [InlineData("SomethingElse", OcppErrorCode.GenericError)]
    public void Error_codes_from_peers_are_read_in_either_spelling(string spelling, OcppErrorCode code) =>
        Assert.Equal(code, OcppErrorCodes.Parse(spelling));

    [Theory]
    [InlineData("ocpp1.6", OcppVersion.V16)]
    [InlineData("OCPP1.6", OcppVersion.V16)]
    [InlineData("ocpp2.0.1", OcppVersion.V201)]
    [InlineData("ocpp2.1", OcppVersion.V21)]
    public void Subprotocol_tokens_name_their_version(string token, OcppVersion version)
    {
        Assert.True(OcppVersions.TryParseSubprotocol(token, out var parsed));
        Assert.Equal(version, parsed);
    }

    [Theory]
    [InlineData("ocpp2.0")]
    [InlineData("ocpp1.5")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_subprotocol_tokens_are_not_OCPP_versions_we_speak(string? token) =>
        Assert.False(OcppVersions.TryParseSubprotocol(token, out _));

    private static OcppFrame Read(string text, OcppVersion version)
    {
        Assert.True(OcppFrameReader.TryRead(text, version, out var frame, out var error), error?.Description);
        return frame!;
    }

    private static FrameError ReadError(string text, OcppVersion version)
    {
        Assert.False(OcppFrameReader.TryRead(text, version, out _, out var error));
        return error!;
    }
}
