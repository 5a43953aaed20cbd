using System.Net;
using System.Text.Json;
using Xunit.Sdk;

namespace Csms.Gateway.Tests.Infrastructure;

/// <summary>Reads <c>GET /api/v1/stations/{id}</c> and picks things out of the snapshot JSON.</summary>
public static class StationApi
{
    public static async Task<JsonDocument> GetAsync(GatewayAppFixture gateway, string stationId)
    {
        using var response = await gateway.Http.GetAsync(new Uri("api/v1/stations/" + Uri.EscapeDataString(stationId), UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new XunitException($"GET station {stationId}: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body);
    }

    /// <summary>The transaction with this id among the recent and active ones, station-wide or per EVSE.</summary>
    public static JsonElement FindTransaction(JsonElement snapshot, string transactionId)
    {
        foreach (var list in new[] { "recentTransactions", "activeTransactions" })
        {
            if (snapshot.TryGetProperty(list, out var transactions) && transactions.ValueKind == JsonValueKind.Array)
            {
                foreach (var transaction in transactions.EnumerateArray())
                {
                    if (transaction.GetProperty("transactionId").GetString() == transactionId)
                    {
                        return transaction;
                    }
                }
            }
        }
        throw new XunitException($"transaction {transactionId} is not in the snapshot: {snapshot.GetRawText()}");
    }

    public static string? ConnectorStatus(JsonElement snapshot, int evseId, int connectorId)
    {
        foreach (var evse in snapshot.GetProperty("evses").EnumerateArray())
        {
            if (evse.GetProperty("evseId").GetInt32() != evseId)
            {
                continue;
            }
            foreach (var connector in evse.GetProperty("connectors").EnumerateArray())
            {
                if (connector.GetProperty("connectorId").GetInt32() == connectorId)
                {
                    return connector.GetProperty("status").GetString();
                }
            }
        }
        throw new XunitException($"EVSE {evseId} connector {connectorId} is not in the snapshot: {snapshot.GetRawText()}");
    }
}
