using System.Security.Claims;
using CreditDesk.Domain.Applications;

namespace CreditDesk.Infrastructure.Access;

public static class Roles
{
    public const string Applicant = "Applicant";
    public const string Officer = "Officer";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Applicant, Officer, Admin];
}

/// <summary>
/// Who is asking, as every query and command sees it. Applicants are scoped to their own applications in the services
/// themselves, not only in the UI.
/// </summary>
public sealed record Caller(string Id, string Role)
{
    public bool IsAdmin => Role == Roles.Admin;

    public bool IsApplicant => Role == Roles.Applicant;

    /// <summary>The lifecycle actor this caller acts as, if any (officers make no status changes).</summary>
    public Actor? Actor => Role switch
    {
        Roles.Admin => Domain.Applications.Actor.Admin,
        Roles.Applicant => Domain.Applications.Actor.Applicant,
        _ => null,
    };

    public static Caller? From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = Roles.All.FirstOrDefault(principal.IsInRole);
        return id is null || role is null ? null : new Caller(id, role);
    }
}
