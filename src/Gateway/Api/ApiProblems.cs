namespace Csms.Gateway.Api;

/// <summary>RFC 9457 problem details with a message that says what to fix.</summary>
public static class ApiProblems
{
    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, detail);

    /// <summary>An argument a grain or store refused: its message, without .NET's "(Parameter 'x')" suffix.</summary>
    public static IResult BadRequest(ArgumentException refused) => BadRequest(refused.Message.Split(" (Parameter")[0]);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail);

    public static IResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, detail, extensions);

    public static IResult Unprocessable(string detail) => Problem(StatusCodes.Status422UnprocessableEntity, detail);

    private static IResult Problem(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: extensions);
}
