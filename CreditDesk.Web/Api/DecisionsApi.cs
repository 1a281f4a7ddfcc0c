using System.Text.Json;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Pricing;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Security;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditDesk.Web.Api;

/// <summary>
/// Decisions that stand up to a regulator (issue #23) on <c>/api/v1/applications/{id}</c>: the decision record for
/// staff (<c>decision</c>), the applicant's request for a human review and its outcome (<c>review-requests</c>); and the
/// loan products admins set per country (<c>/api/v1/countries/{code}/products</c>).
/// </summary>
public static class DecisionsApi
{
    private const int BodyLimit = 32 * 1024;

    public static void MapDecisionsApi(this IEndpointRouteBuilder endpoints)
    {
        var application = endpoints.MapGroup("/api/v1/applications/{id:guid}").WithTags("Decisions")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(BodyLimit));
        application.MapGet("decision", DecisionAsync).RequireAuthorization(Policies.Staff).WithName("GetDecisionRecord");
        application.MapGet("review-requests", ReviewRequestsAsync).RequireAuthorization(Policies.AnyRole).WithName("ListReviewRequests");
        application.MapPost("review-requests", RequestReviewAsync).RequireAuthorization(Policies.Submit).ValidatedBody<ReviewRequestBody>()
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("RequestReview");
        application.MapPost("review-requests/{requestId:guid}/outcome", OutcomeAsync).RequireAuthorization(Policies.Staff).ValidatedBody<ReviewOutcomeBody>()
            .ProducesProblem(StatusCodes.Status409Conflict).WithName("RecordReviewOutcome");

        var products = endpoints.MapGroup("/api/v1/countries/{code}/products").WithTags("Loan products")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(BodyLimit));
        products.MapGet("", ProductsAsync).RequireAuthorization(Policies.Staff).WithName("ListLoanProducts");
        products.MapPost("", CreateProductAsync).RequireAuthorization(Policies.Admin).ValidatedBody<ProductBody>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateLoanProductVersion");
    }

    /// <summary>Every decision on the application, the latest last, each with its record and the notices the applicant was shown.</summary>
    private static async Task<Results<Ok<DecisionTrailResponse>, ProblemHttpResult>> DecisionAsync(
        Guid id, SignedIn signedIn, DecisionTrail trail, ApplicationQueries queries, CancellationToken cancellationToken)
    {
        var decisions = await trail.DecisionsAsync(signedIn.Caller, id, cancellationToken);
        if (decisions is null)
        {
            return ApiProblems.NotFound($"Application {id}");
        }
        if (decisions.Count == 0)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "no_decision", $"Application {id} has no decision yet.");
        }
        var summary = (await queries.GetSummaryAsync(signedIn.Caller, id, cancellationToken))!;
        return TypedResults.Ok(DecisionTrailResponse.From(id, summary.CreatedAt, decisions));
    }

    private static async Task<Results<Ok<List<ReviewRequestResponse>>, ProblemHttpResult>> ReviewRequestsAsync(
        Guid id, SignedIn signedIn, DecisionTrail trail, CancellationToken cancellationToken) =>
        await trail.ReviewRequestsAsync(signedIn.Caller, id, cancellationToken) is { } requests
            ? TypedResults.Ok(requests.Select(ReviewRequestResponse.From).ToList())
            : ApiProblems.NotFound($"Application {id}");

    /// <summary>The applicant asks for a person to review the automatic decision, with their view: once per decision.</summary>
    private static async Task<Results<Created<ReviewRequestResponse>, ProblemHttpResult>> RequestReviewAsync(
        Guid id, SignedIn signedIn, ReviewRequestBody body, DecisionTrail trail, CancellationToken cancellationToken) =>
        await trail.RequestReviewAsync(signedIn.Caller, id, body.Statement!.Trim(), cancellationToken) switch
        {
            ReviewRequestResult.Done done => TypedResults.Created($"/api/v1/applications/{id}/review-requests/{done.Request.Id}", ReviewRequestResponse.From(done.Request)),
            var other => Problem(id, other),
        };

    private static async Task<Results<Ok<ReviewRequestResponse>, ProblemHttpResult>> OutcomeAsync(
        Guid id, Guid requestId, SignedIn signedIn, ReviewOutcomeBody body, DecisionTrail trail, CancellationToken cancellationToken) =>
        await trail.RecordOutcomeAsync(signedIn.Caller, id, requestId, body.Outcome!, body.Explanation!.Trim(), cancellationToken) switch
        {
            ReviewRequestResult.Done done => TypedResults.Ok(ReviewRequestResponse.From(done.Request)),
            var other => Problem(id, other),
        };

    private static ProblemHttpResult Problem(Guid id, ReviewRequestResult result) => result switch
    {
        ReviewRequestResult.NotFound => ApiProblems.NotFound($"Application {id} or its review request"),
        ReviewRequestResult.NotEligible refused => ApiProblems.Conflict("not_eligible", refused.Detail),
        ReviewRequestResult.Already { Existing.IsOpen: true } => ApiProblems.Conflict("review_already_requested",
            "A human review of this decision has already been asked for."),
        ReviewRequestResult.Already => ApiProblems.Conflict("review_already_answered", "This review already has its outcome."),
        _ => throw new InvalidOperationException("Unknown review request result."),
    };

    private static async Task<Results<Ok<List<ProductResponse>>, ProblemHttpResult>> ProductsAsync(
        string code, LoanCatalogue catalogue, CancellationToken cancellationToken) =>
        CountryRegistry.TryGet(code, out var policy)
            ? TypedResults.Ok((await catalogue.VersionsAsync(policy.Code, cancellationToken)).Select(ProductResponse.From).ToList())
            : ApiProblems.NotFound($"Country {code}");

    /// <summary>A new version of the country's product, taking effect on its date (today or later); the same terms twice is a 409.</summary>
    private static async Task<Results<Created<ProductResponse>, ProblemHttpResult>> CreateProductAsync(
        string code, SignedIn signedIn, ProductBody body, LoanCatalogue catalogue, CancellationToken cancellationToken)
    {
        if (!CountryRegistry.TryGet(code, out var policy))
        {
            return ApiProblems.NotFound($"Country {code}");
        }
        var product = body.ToProduct(policy);
        if (catalogue.Check(product) is { Count: > 0 } problems)
        {
            return ApiProblems.Validation(problems.GroupBy(problem => problem.Field).ToDictionary(g => g.Key, g => g.Select(problem => problem.Message).ToArray()));
        }
        if (!await catalogue.SaveAsync(product, signedIn.Caller.Id, cancellationToken))
        {
            return ApiProblems.Conflict("product_exists", $"These terms are already version {product.Version}.");
        }
        var entry = (await catalogue.VersionsAsync(policy.Code, cancellationToken)).First(version => version.Product.Version == product.Version);
        return TypedResults.Created($"/api/v1/countries/{policy.Code}/products", ProductResponse.From(entry));
    }
}

/// <summary><c>POST /api/v1/applications/{id}/review-requests</c>: the applicant's view, up to 2 000 characters (stored encrypted).</summary>
public sealed record ReviewRequestBody(string? Statement);

public sealed class ReviewRequestBodyValidator : AbstractValidator<ReviewRequestBody>
{
    public ReviewRequestBodyValidator() =>
        RuleFor(body => body.Statement).Must(text => !string.IsNullOrWhiteSpace(text)).WithMessage("Say in a few words why the decision should be looked at again.")
            .StorableText(ReviewRequest.MaxStatement, $"A statement has at most {ReviewRequest.MaxStatement} characters.").OverridePropertyName("statement");
}

/// <summary><c>POST …/review-requests/{rid}/outcome</c>: upheld or changed, with the explanation the applicant reads.</summary>
public sealed record ReviewOutcomeBody(string? Outcome, string? Explanation);

public sealed class ReviewOutcomeBodyValidator : AbstractValidator<ReviewOutcomeBody>
{
    public ReviewOutcomeBodyValidator()
    {
        RuleFor(body => body.Outcome).Must(outcome => outcome is ReviewRequest.Upheld or ReviewRequest.Changed)
            .WithMessage("Outcome must be upheld or changed.").OverridePropertyName("outcome");
        RuleFor(body => body.Explanation).Must(text => !string.IsNullOrWhiteSpace(text)).WithMessage("Explain the outcome to the applicant.")
            .StorableText(ReviewRequest.MaxStatement, $"An explanation has at most {ReviewRequest.MaxStatement} characters.").OverridePropertyName("explanation");
    }
}

/// <summary>A review request; <see cref="Outcome"/> is always present (null while a person has not answered).</summary>
public sealed record ReviewRequestResponse(
    Guid Id, long DecisionId, string Statement, DateTime RequestedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Outcome,
    string? Explanation, DateTime? DecidedAt)
{
    public static ReviewRequestResponse From(ReviewRequest r) =>
        new(r.Id, r.DecisionId, r.Statement, r.RequestedAt.UtcDateTime, r.Outcome, r.Explanation, r.DecidedAt?.UtcDateTime);
}

public sealed record DecisionNoticeResponse(string Channel, string Language, string Content, DateTime ShownAt);

public sealed record DecisionResponse(
    long Id, string Status, bool SolelyAutomated, string DecidedBy, string ActorId, string PolicyVersion, string ProductVersion, long? Supersedes,
    DateTime DecidedAt, JsonElement Record, IReadOnlyList<DecisionNoticeResponse> Notices);

/// <summary>
/// The decision record: <see cref="Current"/> is the decision in force, <see cref="Decisions"/> every one (append-only,
/// each naming what it superseded); <see cref="SecondsToFirstNotice"/> is the time from the complete application to
/// the first notice of the current decision the applicant was shown.
/// </summary>
public sealed record DecisionTrailResponse(Guid ApplicationId, DecisionResponse Current, IReadOnlyList<DecisionResponse> Decisions, double? SecondsToFirstNotice)
{
    public static DecisionTrailResponse From(Guid id, DateTimeOffset submittedAt, IReadOnlyList<StoredDecision> decisions)
    {
        var all = decisions.Select(d => new DecisionResponse(d.Id, d.Status, d.SolelyAutomated, d.Actor, d.ActorId, d.PolicyVersion, d.ProductVersion,
            d.Supersedes, d.DecidedAt.UtcDateTime, d.Record,
            d.Notices.Select(n => new DecisionNoticeResponse(n.Channel, n.Language, n.Content, n.ShownAt.UtcDateTime)).ToList())).ToList();
        var firstNotice = decisions[^1].Notices.Select(n => n.ShownAt).DefaultIfEmpty().Min();
        return new DecisionTrailResponse(id, all[^1], all, firstNotice == default ? null : Math.Round((firstNotice - submittedAt).TotalSeconds, 3));
    }
}

/// <summary><c>POST /api/v1/countries/{code}/products</c>: a new version of the country's product (rates and fees as fractions: 0.0995 = 9.95 %).</summary>
public sealed record ProductBody(
    DateOnly? EffectiveFrom, decimal? MinAmount, decimal? MaxAmount, int? MinTermMonths, int? MaxTermMonths, IReadOnlyList<ProductBandBody>? Bands,
    decimal? OpeningFeeRate)
{
    public LoanProduct ToProduct(ICountryPolicy policy) => new(
        policy.Code, policy.Currency, EffectiveFrom!.Value, MinAmount!.Value, MaxAmount!.Value, MinTermMonths!.Value, MaxTermMonths!.Value,
        Bands!.Select(band => new RateBand(band.UpToAmount!.Value, band.NominalAnnualRate!.Value)).ToList(), OpeningFeeRate!.Value, policy.Product.Figure);
}

public sealed record ProductBandBody(decimal? UpToAmount, decimal? NominalAnnualRate);

public sealed class ProductBodyValidator : AbstractValidator<ProductBody>
{
    public ProductBodyValidator()
    {
        RuleFor(body => body.EffectiveFrom).NotNull().WithMessage("effective_from (YYYY-MM-DD) is required.").OverridePropertyName("effective_from");
        RuleFor(body => body.MinAmount).NotNull().WithMessage("min_amount is required.").OverridePropertyName("min_amount");
        RuleFor(body => body.MaxAmount).NotNull().WithMessage("max_amount is required.").OverridePropertyName("max_amount");
        RuleFor(body => body.MinTermMonths).NotNull().WithMessage("min_term_months is required.").OverridePropertyName("min_term_months");
        RuleFor(body => body.MaxTermMonths).NotNull().WithMessage("max_term_months is required.").OverridePropertyName("max_term_months");
        RuleFor(body => body.OpeningFeeRate).NotNull().WithMessage("opening_fee_rate is required.").OverridePropertyName("opening_fee_rate");
        RuleFor(body => body.Bands).Must(bands => bands is { Count: > 0 } && bands.All(band => band is { UpToAmount: not null, NominalAnnualRate: not null }))
            .WithMessage("bands: at least one {up_to_amount, nominal_annual_rate}.").OverridePropertyName("bands");
    }
}

public sealed record ProductBandResponse(string UpToAmount, string NominalAnnualRate);

public sealed record ProductResponse(
    string Version, string Country, string Currency, DateOnly EffectiveFrom, bool InEffect, string MinAmount, string MaxAmount, int MinTermMonths,
    int MaxTermMonths, IReadOnlyList<ProductBandResponse> Bands, string OpeningFeeRate, string CostFigure, string CreatedBy, DateTime CreatedAt)
{
    public static ProductResponse From(ProductVersionEntry entry)
    {
        var p = entry.Product;
        return new ProductResponse(p.Version, p.Country, p.Currency, p.EffectiveFrom, entry.InEffect, WireMoney.Format(p.MinAmount), WireMoney.Format(p.MaxAmount),
            p.MinTermMonths, p.MaxTermMonths,
            p.Bands.Select(band => new ProductBandResponse(band == p.Bands[^1] && band.UpToAmount == decimal.MaxValue ? "" : WireMoney.Format(band.UpToAmount),
                band.NominalAnnualRate.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList(),
            p.OpeningFeeRate.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Figure.ToString().ToUpperInvariant(), entry.CreatedBy,
            entry.CreatedAt.UtcDateTime);
    }
}
