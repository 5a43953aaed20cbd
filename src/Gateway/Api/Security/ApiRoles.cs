using System.Security.Claims;
using Csms.Grains.Interfaces.ApiKeys;

namespace Csms.Gateway.Api.Security;

/// <summary>Authorization policies, one per role, named after it; a higher role satisfies a lower one.</summary>
public static class ApiRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static string Name(ApiRole role) => role switch
    {
        ApiRole.Admin => Admin,
        ApiRole.Operator => Operator,
        _ => Viewer,
    };

    public static bool TryParse(string? name, out ApiRole role)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case Viewer: role = ApiRole.Viewer; return true;
            case Operator: role = ApiRole.Operator; return true;
            case Admin: role = ApiRole.Admin; return true;
            default: role = default; return false;
        }
    }

    /// <summary>The highest role the user holds, from role claims of the identity's role claim type.</summary>
    public static ApiRole? Highest(ClaimsPrincipal user)
    {
        ApiRole? highest = null;
        foreach (var identity in user.Identities.Where(i => i.IsAuthenticated))
        {
            foreach (var claim in identity.FindAll(identity.RoleClaimType))
            {
                // an identity provider may send several roles in one claim, space-separated
                foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (TryParse(value, out var role) && (highest is null || role > highest))
                    {
                        highest = role;
                    }
                }
            }
        }
        return highest;
    }

    public static bool Has(ClaimsPrincipal user, ApiRole required) => Highest(user) is { } role && role >= required;
}
