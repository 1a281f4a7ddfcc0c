using CreditDesk.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreditDesk.Web.Security;

/// <summary>
/// People sign in with ASP.NET Core Identity (cookie); machines send <c>Authorization: Bearer &lt;api key&gt;</c>. One policy
/// scheme picks per request. API paths never redirect: they answer 401/403 as problem details.
/// </summary>
public static class Authentication
{
    public const string Scheme = "CreditDesk";
    public const string LoginPath = "/account/login";

    public static IServiceCollection AddCreditDeskAuthentication(this IServiceCollection services, IHostEnvironment environment, IConfiguration configuration)
    {
        services.Configure<SessionOptions>(configuration.GetSection("Security"));
        // Identity's validator compares the cookie's security stamp with the account's (SessionRevalidation says when it changes).
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SessionOptions>>((validator, session) =>
            validator.ValidationInterval = session.Value.SessionCheckInterval);
        services.AddIdentityCore<IdentityUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CreditDeskDbContext>()
            .AddSignInManager();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or API key", options => options.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.HasBearer(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = LoginPath;
            options.AccessDeniedPath = "/account/denied";
            options.Cookie.Name = "creditdesk";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Plain http only on a developer's loopback; everywhere else the cookie never travels unencrypted.
            options.Cookie.SecurePolicy = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });
        services.AddSingleton<ApiKeyFailures>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidation>();
        return services;
    }

    private static Task ApiAware(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
