using Csms.Ocpp.Commands;
using static Csms.Ocpp.Tests.Commands.Translated;

namespace Csms.Ocpp.Tests.Commands;

public class ClearCacheTests
{
    [Theory]
    [MemberData(nameof(AllVersions), MemberType = typeof(Translated))]
    public void ClearCache_is_an_empty_ClearCache_in_every_version(OcppVersion version) =>
        Assert.Empty(Single(new ClearCacheCommand(), version, "ClearCache"));
}
