using Csms.Gateway.Ocpp;
using Csms.Grains.Interfaces.Stations;

namespace Csms.Gateway.Api;

/// <summary>The read side of the operator API, so far: one station's live state.</summary>
public static class StationsApi
{
    public static IEndpointRouteBuilder MapStationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/stations/{stationId}", GetStation)
            .WithName("GetStation")
            .WithTags("Stations")
            .WithSummary("One station's live state")
            .WithDescription("Registration, boot information, connection, EVSEs and connectors, active and recent transactions, commands and recent events, from the station's grain.")
            .Produces<StationSnapshot>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> GetStation(string stationId, IGrainFactory grains)
    {
        if (!StationIdentity.TryCanonicalize(stationId, out var canonical, out var problem))
        {
            return Results.Problem(detail: problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var snapshot = await grains.GetGrain<IChargingStationGrain>(canonical).GetSnapshot();
        if (snapshot.Registration == RegistrationStatus.Unknown && snapshot.Connection is null)
        {
            return Results.Problem(detail: $"station '{canonical}' has never connected", statusCode: StatusCodes.Status404NotFound);
        }
        return Results.Ok(snapshot);
    }
}
