using Csms.Grains.Interfaces.Authorization;
using Csms.Grains.Interfaces.Registration;

namespace Csms.Grains;

/// <summary>Station-facing behaviour, bound from the <c>Csms</c> configuration section.</summary>
public sealed class CsmsOptions
{
    public const string Section = "Csms";

    public RegistrationOptions Registration { get; set; } = new();

    public AuthorizationOptions Authorization { get; set; } = new();

    /// <summary>How long a CSMS-initiated call waits for the station's answer by default.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a command may wait for an offline (or busy) station by default before it expires unsent.</summary>
    public TimeSpan CommandExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Commands one station's outbox holds unsent (queued or in flight); beyond, a new one is refused, not queued without bound.</summary>
    public int MaxQueuedCommands { get; set; } = 100;

    /// <summary>Vendor ids whose DataTransfer messages we accept (anything else is UnknownVendorId).</summary>
    public List<string> DataTransferVendors { get; set; } = [];
}

public sealed class RegistrationOptions
{
    public RegistrationPolicy Policy { get; set; } = RegistrationPolicy.AcceptAll;

    /// <summary>Heartbeat interval sent in an Accepted BootNotification response.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 300;

    /// <summary>Interval after which a Pending or Rejected station may boot again.</summary>
    public int RetryIntervalSeconds { get; set; } = 60;

    /// <summary>Ask a connected station that has not sent BootNotification after this many seconds to send one; 0 disables.</summary>
    public int TriggerBootAfterSeconds { get; set; } = 60;

    /// <summary>Station identities accepted under the Pending and RejectUnknown policies (case-insensitive).</summary>
    public List<string> KnownStations { get; set; } = [];
}

public sealed class AuthorizationOptions
{
    /// <summary>Accept tokens nobody configured. True by default only while no tokens are configured.</summary>
    public bool? AcceptUnknownTokens { get; set; }

    /// <summary>Tokens with their status, expiry and group, e.g. <c>Csms__Authorization__Tokens__0__IdToken=04A1B2C3</c>.</summary>
    public List<ConfiguredIdToken> Tokens { get; set; } = [];

    public bool AcceptsUnknown => AcceptUnknownTokens ?? Tokens.Count == 0;
}

public sealed class ConfiguredIdToken
{
    public string IdToken { get; set; } = "";

    public IdTokenStatus Status { get; set; } = IdTokenStatus.Accepted;

    public DateTimeOffset? ExpiresAt { get; set; }

    public string? GroupId { get; set; }
}
