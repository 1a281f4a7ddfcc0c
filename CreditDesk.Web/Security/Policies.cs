using CreditDesk.Infrastructure.Access;

namespace CreditDesk.Web.Security;

public static class Policies
{
    public const string Submit = "submit";
    public const string Admin = "admin";

    public static IServiceCollection AddCreditDeskAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Submit, policy => policy.RequireRole(Roles.Applicant))
            .AddPolicy(Admin, policy => policy.RequireRole(Roles.Admin));
        return services;
    }
}
