namespace Csms.Gateway.Api;

/// <summary>List endpoints: a bad cursor or limit is the caller's mistake (400), said in the store's own words.</summary>
public static class Paging
{
    public static async Task<IResult> Run(Func<Task<IResult>> query)
    {
        try
        {
            return await query();
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest(ex);
        }
    }
}
