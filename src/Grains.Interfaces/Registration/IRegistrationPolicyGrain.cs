namespace Csms.Grains.Interfaces.Registration;

/// <summary>What happens to a station the operator has not registered when it boots.</summary>
public enum RegistrationPolicy
{
    /// <summary>Every station that boots is accepted (standalone default).</summary>
    AcceptAll,
    /// <summary>Known stations are accepted; unknown ones get Pending until an operator approves them.</summary>
    Pending,
    /// <summary>Known stations are accepted; unknown ones are rejected.</summary>
    RejectUnknown,
}

/// <summary>The cluster's registration policy (one grain, key 0): the configured one unless an operator set another.</summary>
public interface IRegistrationPolicyGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<RegistrationPolicy> Get();

    /// <summary>Sets the policy, or with null goes back to the configured one.</summary>
    Task<RegistrationPolicy> Set(RegistrationPolicy? policy);
}
