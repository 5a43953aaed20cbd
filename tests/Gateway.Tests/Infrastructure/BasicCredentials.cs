using System.Text;

namespace Csms.Gateway.Tests.Infrastructure;

/// <summary>An HTTP Basic Authorization header value, as a station sends it (RFC 7617).</summary>
public static class BasicCredentials
{
    public static string Header(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
