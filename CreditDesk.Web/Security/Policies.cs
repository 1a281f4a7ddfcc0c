using CreditDesk.Infrastructure.Access;

namespace CreditDesk.Web.Security;

public static class Policies
{
    public const string Submit = "submit";
    public const string Admin = "admin";

    /// <summary>Signed in with one of the desk's roles: what every endpoint that binds <see cref="Api.SignedIn"/> needs.</summary>
    public const string AnyRole = "any-role";

    /// <summary>Officers and admins: the people who work applications.</summary>
    public const string Staff = "staff";

    public static IServiceCollection AddCreditDeskAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Submit, policy => policy.RequireRole(Roles.Applicant))
            .AddPolicy(Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(AnyRole, policy => policy.RequireRole(Roles.All))
            .AddPolicy(Staff, policy => policy.RequireRole(Roles.Officer, Roles.Admin));
        return services;
    }
}
