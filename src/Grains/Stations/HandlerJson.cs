using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Csms.Grains.Interfaces.Connections;

namespace Csms.Grains.Stations;

/// <summary>Reading a schema-validated payload into its model and writing the answer, for every version's handlers.</summary>
internal static class HandlerJson
{
    public static T Read<T>(InboundCall call, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(call.PayloadJson, typeInfo) ?? throw new JsonException("payload is null");

    public static CallReply Result<T>(T response, JsonTypeInfo<T> typeInfo) => CallReply.Result(JsonSerializer.Serialize(response, typeInfo));

    public static Task<CallReply> Reply<T>(T response, JsonTypeInfo<T> typeInfo) => Task.FromResult(Result(response, typeInfo));
}
