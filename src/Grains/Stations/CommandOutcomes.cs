namespace Csms.Grains.Stations;

/// <summary>Reads a station's answer to a CSMS-initiated call as accepted or rejected.</summary>
public static class CommandOutcomes
{
    // the status values across 1.6 and 2.x that mean "done" or "will do"; everything else (Rejected, NotSupported,
    // Failed, UnknownConnector, UnlockFailed, Occupied, …) is a refusal
    private static readonly HashSet<string> Positive = ["Accepted", "Scheduled", "RebootRequired", "Unlocked", "AcceptedCanceled"];

    /// <summary>A response without a status field (GetConfiguration, GetLocalListVersion…) is an accepted answer.</summary>
    public static bool IsPositive(string? status) => status is null || Positive.Contains(status);
}
