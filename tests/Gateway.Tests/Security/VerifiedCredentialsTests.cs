using System.Text;
using Csms.Gateway.Api.Security;
using Csms.Gateway.Ocpp.Security;

namespace Csms.Gateway.Tests.Security;

/// <summary>The reconnect shortcut: only a credential verified against the very same stored hash is taken without PBKDF2.</summary>
public sealed class VerifiedCredentialsTests
{
    private static readonly byte[] Password = Encoding.UTF8.GetBytes("station-password-01");

    [Fact]
    public void A_remembered_credential_matches_only_the_same_station_password_and_stored_hash()
    {
        var cache = new VerifiedCredentials();
        var hash = StationPasswords.Hash("station-password-01");
        Assert.False(cache.Matches("cp-1", hash, Password));

        cache.Remember("cp-1", hash, Password);

        Assert.True(cache.Matches("cp-1", hash, Password));
        Assert.False(cache.Matches("cp-2", hash, Password));
        Assert.False(cache.Matches("cp-1", hash, Encoding.UTF8.GetBytes("station-password-02")));
        // a new password is a new salted hash, even for the same text: the old entry no longer counts
        Assert.False(cache.Matches("cp-1", StationPasswords.Hash("station-password-01"), Password));
    }
}
