using Csms.Grains.Hosting;
using Csms.Grains.Interfaces.Registration;
using Microsoft.Extensions.Options;

namespace Csms.Grains.Registration;

[GenerateSerializer]
public sealed class RegistrationPolicyState
{
    [Id(0)] public RegistrationPolicy? Override { get; set; }
}

/// <summary>The registration policy: <c>Csms:Registration:Policy</c>, unless an operator set another through the API.</summary>
public sealed class RegistrationPolicyGrain(
    [PersistentState("registrationpolicy", CsmsStorage.ProviderName)] IPersistentState<RegistrationPolicyState> state,
    IOptions<CsmsOptions> options) : Grain, IRegistrationPolicyGrain
{
    public Task<RegistrationPolicy> Get() => Task.FromResult(state.State.Override ?? options.Value.Registration.Policy);

    public async Task<RegistrationPolicy> Set(RegistrationPolicy? policy)
    {
        state.State.Override = policy;
        await state.WriteStateAsync();
        return await Get();
    }
}
