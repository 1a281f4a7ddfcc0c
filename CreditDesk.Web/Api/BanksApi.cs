using CreditDesk.Infrastructure.Banks;
using CreditDesk.Web.Security;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CreditDesk.Web.Api;

/// <summary>
/// <c>/api/v1/banks</c> (admins): bank partners and their webhook signing keys — register (the first key's secret is in
/// that answer only), list, deactivate and activate, rotate (a new key; the older ones keep working for the overlap),
/// revoke a key at once; and <c>PUT /api/v1/applications/{id}/bank</c>, which gives an approved application to another
/// active bank of its country.
/// </summary>
public static class BanksApi
{
    public sealed record BankKeyResponse(string KeyId, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, bool Works);

    public sealed record NewBankKeyResponse(string KeyId, string Secret);

    public sealed record BankResponse(
        Guid Id, string Name, string Country, string? Contact, bool Active, DateTime CreatedAt, IReadOnlyList<BankKeyResponse> Keys,
        NewBankKeyResponse? NewKey = null)
    {
        public static BankResponse From(Bank bank, DateTimeOffset now, NewBankKey? key = null) => new(
            bank.Id, bank.Name, bank.Country, bank.Contact, bank.Active, bank.CreatedAt.UtcDateTime,
            bank.Keys.Select(k => new BankKeyResponse(k.KeyId, k.CreatedAt.UtcDateTime, k.ExpiresAt?.UtcDateTime, k.RevokedAt?.UtcDateTime, k.WorksAt(now))).ToList(),
            key is null ? null : new NewBankKeyResponse(key.KeyId, key.Secret));
    }

    public sealed record BankAssignmentResponse(Guid ApplicationId, Guid BankId);

    private const int BodyLimit = 4096;

    public static RouteGroupBuilder MapBanksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/banks").RequireAuthorization(Policies.Admin).WithTags("Banks");
        group.MapGet("", ListAsync).WithName("ListBanks");
        group.MapPost("", CreateAsync).ValidatedBody<BankRequest>().WithMetadata(new RequestSizeLimitAttribute(BodyLimit))
            .WithName("RegisterBank");
        group.MapGet("{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("GetBank");
        group.MapPost("{id:guid}/deactivate", DeactivateAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("DeactivateBank");
        group.MapPost("{id:guid}/activate", ActivateAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("ActivateBank");
        group.MapPost("{id:guid}/rotate-key", RotateAsync).ProducesProblem(StatusCodes.Status404NotFound).WithName("RotateBankKey");
        group.MapPost("{id:guid}/keys/{keyId}/revoke", RevokeAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("RevokeBankKey");

        endpoints.MapPut("/api/v1/applications/{id:guid}/bank", AssignAsync).RequireAuthorization(Policies.Admin).WithTags("Banks")
            .ValidatedBody<BankAssignmentRequest>().WithMetadata(new RequestSizeLimitAttribute(BodyLimit))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("GiveApplicationToBank");
        return group;
    }

    private static async Task<Ok<List<BankResponse>>> ListAsync(BankPartners banks, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok((await banks.ListAsync(cancellationToken)).Select(bank => BankResponse.From(bank, clock.GetUtcNow())).ToList());

    /// <summary>The first key's secret is in this answer only; CreditDesk keeps it encrypted.</summary>
    private static async Task<Results<Created<BankResponse>, ProblemHttpResult>> CreateAsync(
        BankRequest request, BankPartners banks, SignedIn signedIn, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await banks.CreateAsync(request.Name!, request.Country!, request.Contact, signedIn.Caller.Id, cancellationToken) is not var (bank, key))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["name"] = ["A bank of that name is already registered in that country."] });
        }
        return TypedResults.Created($"/api/v1/banks/{bank.Id}", BankResponse.From(bank, clock.GetUtcNow(), key));
    }

    private static async Task<Results<Ok<BankResponse>, ProblemHttpResult>> GetAsync(Guid id, BankPartners banks, TimeProvider clock, CancellationToken cancellationToken) =>
        Found(id, await banks.FindAsync(id, cancellationToken), clock);

    private static async Task<Results<Ok<BankResponse>, ProblemHttpResult>> DeactivateAsync(Guid id, BankPartners banks, TimeProvider clock, CancellationToken cancellationToken) =>
        Found(id, await banks.SetActiveAsync(id, active: false, cancellationToken), clock);

    private static async Task<Results<Ok<BankResponse>, ProblemHttpResult>> ActivateAsync(Guid id, BankPartners banks, TimeProvider clock, CancellationToken cancellationToken) =>
        Found(id, await banks.SetActiveAsync(id, active: true, cancellationToken), clock);

    /// <summary>The new key's secret is in this answer only; the bank's other working keys expire after the overlap.</summary>
    private static async Task<Results<Ok<BankResponse>, ProblemHttpResult>> RotateAsync(Guid id, BankPartners banks, TimeProvider clock, CancellationToken cancellationToken) =>
        await banks.RotateKeyAsync(id, cancellationToken) is var (bank, key)
            ? TypedResults.Ok(BankResponse.From(bank, clock.GetUtcNow(), key))
            : ApiProblems.NotFound($"Bank {id}");

    private static async Task<Results<Ok<BankResponse>, ProblemHttpResult>> RevokeAsync(
        Guid id, string keyId, BankPartners banks, TimeProvider clock, CancellationToken cancellationToken) =>
        await banks.RevokeKeyAsync(id, keyId, cancellationToken)
            ? Found(id, await banks.FindAsync(id, cancellationToken), clock)
            : ApiProblems.NotFound($"Working key {keyId} of bank {id}");

    private static async Task<Results<Ok<BankAssignmentResponse>, ProblemHttpResult>> AssignAsync(
        Guid id, BankAssignmentRequest request, BankPartners banks, CancellationToken cancellationToken)
    {
        var bankId = request.BankId!.Value;
        return await banks.AssignAsync(id, bankId, cancellationToken) switch
        {
            BankAssignment.Assigned => TypedResults.Ok(new BankAssignmentResponse(id, bankId)),
            BankAssignment.ApplicationNotFound => ApiProblems.NotFound($"Application {id}"),
            BankAssignment.NotApproved => ApiProblems.Conflict("not_approved", "Only an approved application that is not yet disbursed can be given to another bank."),
            BankAssignment.BankNotFound => BankField($"There is no bank {bankId}."),
            BankAssignment.BankInactive => BankField("That bank is deactivated."),
            _ => BankField("That bank lends in another country than the application's."),
        };
    }

    private static ProblemHttpResult BankField(string message) =>
        ApiProblems.Validation(new Dictionary<string, string[]> { ["bank_id"] = [message] });

    private static Results<Ok<BankResponse>, ProblemHttpResult> Found(Guid id, Bank? bank, TimeProvider clock) =>
        bank is null ? ApiProblems.NotFound($"Bank {id}") : TypedResults.Ok(BankResponse.From(bank, clock.GetUtcNow()));
}

/// <summary><c>POST /api/v1/banks</c>: the bank's name (unique in its country), country (ES, PT, IT, MX, CO, BR) and an optional contact.</summary>
public sealed record BankRequest(string? Name, string? Country, string? Contact);

public sealed class BankRequestValidator : AbstractValidator<BankRequest>
{
    public BankRequestValidator(BankPartners banks)
    {
        // The registration's rules live with the banks (the screen checks the same ones).
        RuleFor(request => request).CustomAsync(async (request, context, cancellationToken) =>
        {
            foreach (var problem in await banks.CheckAsync(request.Name, request.Country, request.Contact, cancellationToken))
            {
                context.AddFailure(problem.Field, problem.Message);
            }
        });
        RuleFor(request => request.Name).StorableText(BankPartners.MaxNameLength, $"name is at most {BankPartners.MaxNameLength} characters.")
            .OverridePropertyName("name");
        RuleFor(request => request.Contact).StorableText(BankPartners.MaxContactLength, $"contact is at most {BankPartners.MaxContactLength} characters.")
            .OverridePropertyName("contact");
    }
}

/// <summary><c>PUT /api/v1/applications/{id}/bank</c>: the active bank of the application's country that disburses it.</summary>
public sealed record BankAssignmentRequest(Guid? BankId);

public sealed class BankAssignmentRequestValidator : AbstractValidator<BankAssignmentRequest>
{
    public BankAssignmentRequestValidator() =>
        RuleFor(request => request.BankId).NotNull().WithMessage("bank_id is a bank's id.").OverridePropertyName("bank_id");
}
