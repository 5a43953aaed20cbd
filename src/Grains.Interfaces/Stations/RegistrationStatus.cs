namespace Csms.Grains.Interfaces.Stations;

/// <summary>BootNotification registration status (1.6 RegistrationStatus, 2.0.1 RegistrationStatusEnumType).</summary>
public enum RegistrationStatus
{
    /// <summary>No BootNotification seen yet.</summary>
    Unknown,
    Accepted,
    Pending,
    Rejected,
}
