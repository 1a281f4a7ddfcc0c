using CreditDesk.Infrastructure.Access;
using Microsoft.AspNetCore.Components.Authorization;

namespace CreditDesk.Web.Security;

/// <summary>The signed-in person as a <see cref="Caller"/>, for components (services scope every query by it).</summary>
public sealed class CurrentCaller(AuthenticationStateProvider authentication)
{
    public async Task<Caller?> GetAsync() => Caller.From((await authentication.GetAuthenticationStateAsync()).User);
}
