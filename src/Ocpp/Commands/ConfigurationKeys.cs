using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Csms.Ocpp.Commands;

/// <summary>
/// The 1.6 configuration keys that have a 2.x device-model variable with the same meaning, so operators can use either
/// spelling. Paired by their definitions: 1.6 section 9 (security white paper section 7 for the security keys) against
/// 2.0.1 Part 2 "Referenced Components and Variables" section 2 (Part 4 section 8.4 for WebSocketPingInterval), both
/// variables present in the 2.0.1 and 2.1 appendix dm_components_vars. Values are passed through unchanged.
/// Deliberately absent: AuthorizationKey (1.6 wants hex digits, SecurityCtrlr.BasicAuthPassword a plain password),
/// the *MaxLength keys whose 2.x counterpart is a maxLimit characteristic that GetVariables cannot read,
/// ConnectorPhaseRotation (per component in 2.x, different value format), and keys 2.x dropped (MinimumStatusDuration,
/// NumberOfConnectors, SupportedFeatureProfiles, LightIntensity, BlinkRepeat).
/// </summary>
public static class ConfigurationKeys
{
    private static readonly (string Key, string Variable)[] Pairs =
    [
        ("AllowOfflineTxForUnknownId", "AuthCtrlr.OfflineTxForUnknownIdEnabled"),          // 9.1.1 / 2.3.3
        ("AuthorizationCacheEnabled", "AuthCacheCtrlr.Enabled"),                            // 9.1.2 / 2.4.1
        ("AuthorizeRemoteTxRequests", "AuthCtrlr.AuthorizeRemoteStart"),                    // 9.1.3 / 2.3.4
        ("ClockAlignedDataInterval", "AlignedDataCtrlr.Interval"),                          // 9.1.5 / 2.7.12
        ("ConnectionTimeOut", "TxCtrlr.EVConnectionTimeOut"),                               // 9.1.6 / 2.6.1
        ("GetConfigurationMaxKeys", "DeviceDataCtrlr.ItemsPerMessage[GetVariables]"),       // 9.1.9 / 2.1.17
        ("HeartbeatInterval", "OCPPCommCtrlr.HeartbeatInterval"),                           // 9.1.10 / 2.1.5
        ("LocalAuthorizeOffline", "AuthCtrlr.LocalAuthorizeOffline"),                       // 9.1.12 / 2.3.5
        ("LocalPreAuthorize", "AuthCtrlr.LocalPreAuthorize"),                               // 9.1.13 / 2.3.6
        ("MaxEnergyOnInvalidId", "TxCtrlr.MaxEnergyOnInvalidId"),                           // 9.1.14 / 2.6.7
        ("MeterValuesAlignedData", "AlignedDataCtrlr.Measurands"),                          // 9.1.15 / 2.7.11
        ("MeterValuesSampledData", "SampledDataCtrlr.TxUpdatedMeasurands"),                 // 9.1.17 / 2.7.7
        ("MeterValueSampleInterval", "SampledDataCtrlr.TxUpdatedInterval"),                 // 9.1.19 / 2.7.8
        ("ResetRetries", "OCPPCommCtrlr.ResetRetries"),                                     // 9.1.22 / 2.1.14
        ("StopTransactionOnEVSideDisconnect", "TxCtrlr.StopTxOnEVSideDisconnect"),          // 9.1.23 / 2.6.2
        ("StopTransactionOnInvalidId", "TxCtrlr.StopTxOnInvalidId"),                        // 9.1.24 / 2.6.8
        ("StopTxnAlignedData", "AlignedDataCtrlr.TxEndedMeasurands"),                       // 9.1.25 / 2.7.15
        ("StopTxnSampledData", "SampledDataCtrlr.TxEndedMeasurands"),                       // 9.1.27 / 2.7.4
        ("TransactionMessageAttempts", "OCPPCommCtrlr.MessageAttempts[TransactionEvent]"),  // 9.1.31 / 2.1.10
        ("TransactionMessageRetryInterval", "OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]"), // 9.1.32 / 2.1.11
        ("UnlockConnectorOnEVSideDisconnect", "OCPPCommCtrlr.UnlockOnEVSideDisconnect"),    // 9.1.33 / 2.1.12
        ("WebSocketPingInterval", "OCPPCommCtrlr.WebSocketPingInterval"),                   // 9.1.34 / Part 4 8.4
        ("LocalAuthListEnabled", "LocalAuthListCtrlr.Enabled"),                             // 9.2.1 / 2.5.1
        ("SendLocalListMaxLength", "LocalAuthListCtrlr.ItemsPerMessage"),                   // 9.2.3 / 2.5.4
        ("ReserveConnectorZeroSupported", "ReservationCtrlr.NonEvseSpecific"),              // 9.3.1 / 2.8.3
        ("ChargeProfileMaxStackLevel", "SmartChargingCtrlr.ProfileStackLevel"),             // 9.4.1 / 2.9.4
        // read-only in both; 1.6 reports "Current"/"Power" where 2.x reports "A"/"W"
        ("ChargingScheduleAllowedChargingRateUnit", "SmartChargingCtrlr.RateUnit"),         // 9.4.2 / 2.9.5
        ("ChargingScheduleMaxPeriods", "SmartChargingCtrlr.PeriodsPerSchedule"),            // 9.4.3 / 2.9.6
        ("ConnectorSwitch3to1PhaseSupported", "SmartChargingCtrlr.Phases3to1"),             // 9.4.4 / 2.9.9
        ("AdditionalRootCertificateCheck", "SecurityCtrlr.AdditionalRootCertificateCheck"), // WP 7.1 / 2.2.6
        ("CertificateSignedMaxChainSize", "SecurityCtrlr.MaxCertificateChainSize"),         // WP 7.3 / 2.2.7
        ("CpoName", "SecurityCtrlr.OrganizationName"),                                      // WP 7.5 / 2.2.3
        ("SecurityProfile", "SecurityCtrlr.SecurityProfile"),                               // WP A05 / 2.2.5
    ];

    // 1.6 keys are CiString (case-insensitive, 1.6 section 9)
    private static readonly FrozenDictionary<string, DeviceModelVariable> ByKey =
        Pairs.ToFrozenDictionary(p => p.Key, p => DeviceModelVariable.Parse(p.Variable), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every 1.6 key with its 2.x variable, in the order above.</summary>
    public static IReadOnlyList<KeyValuePair<string, DeviceModelVariable>> All { get; } =
        [.. Pairs.Select(p => KeyValuePair.Create(p.Key, ByKey[p.Key]))];

    public static bool TryGetVariable(string key16, [NotNullWhen(true)] out DeviceModelVariable? variable) =>
        ByKey.TryGetValue(key16, out variable);

    public static bool TryGetKey(DeviceModelVariable variable, [NotNullWhen(true)] out string? key16)
    {
        ArgumentNullException.ThrowIfNull(variable);
        key16 = Pairs.Select(p => p.Key).FirstOrDefault(k => ByKey[k].SameAs(variable));
        return key16 is not null;
    }
}
