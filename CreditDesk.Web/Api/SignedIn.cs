using System.Reflection;
using CreditDesk.Infrastructure.Access;

namespace CreditDesk.Web.Api;

/// <summary>
/// The API's caller, bound once per request from the authenticated user. Groups that take it require
/// <see cref="Security.Policies.AnyRole"/>, so a request reaches the handler only with an id and a role.
/// </summary>
public sealed record SignedIn(Caller Caller) : IBindableFromHttpContext<SignedIn>
{
    public static ValueTask<SignedIn?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(Caller.From(context.User) is { } caller ? new SignedIn(caller) : null);
}
