using System.Text.Json.Serialization;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CreditDesk.Web.Api;

/// <summary><c>PATCH /api/v1/applications/{id}/status</c>.</summary>
public sealed record StatusChangeRequest(string? Status, string? Reason)
{
    public const int MaxReasonLength = 500;

    /// <summary>The status asked for; read only after <see cref="StatusChangeRequestValidator"/> accepted the request.</summary>
    [JsonIgnore]
    public ApplicationStatus Target => ApplicationStatusCodes.TryParse(Status, out var status) ? status : throw new InvalidOperationException("Not validated.");
}

public sealed class StatusChangeRequestValidator : AbstractValidator<StatusChangeRequest>
{
    public StatusChangeRequestValidator()
    {
        RuleFor(request => request.Status).Must(status => ApplicationStatusCodes.TryParse(status, out _))
            .WithMessage($"Status must be one of {string.Join(", ", ApplicationStatusCodes.AllCodes)}.").OverridePropertyName("status");
        RuleFor(request => request.Reason).StorableText(StatusChangeRequest.MaxReasonLength, $"A reason has at most {StatusChangeRequest.MaxReasonLength} characters.")
            .OverridePropertyName("reason");
    }
}

/// <summary><c>POST /api/v1/api-keys</c>.</summary>
public sealed record ApiKeyRequest(string? Name, string? Role)
{
    public const int MaxNameLength = 100;

    /// <summary>The role as the desk spells it; read only after <see cref="ApiKeyRequestValidator"/> accepted the request.</summary>
    [JsonIgnore]
    public string KnownRole => Roles.All.First(known => string.Equals(known, Role, StringComparison.OrdinalIgnoreCase));
}

public sealed class ApiKeyRequestValidator : AbstractValidator<ApiKeyRequest>
{
    public ApiKeyRequestValidator()
    {
        RuleFor(request => request.Name).Must(name => !string.IsNullOrWhiteSpace(name))
            .WithMessage($"A name of 1 to {ApiKeyRequest.MaxNameLength} characters is required.")
            .StorableText(ApiKeyRequest.MaxNameLength, $"A name of 1 to {ApiKeyRequest.MaxNameLength} characters is required.")
            .OverridePropertyName("name");
        RuleFor(request => request.Role).Must(role => Roles.All.Any(known => string.Equals(known, role, StringComparison.OrdinalIgnoreCase)))
            .WithMessage($"Role must be one of {string.Join(", ", Roles.All)}.").OverridePropertyName("role");
    }
}

/// <summary><c>GET /api/v1/applications</c>'s query. Kept as text so "limit=abc" is a field error (422), not an unreadable request.</summary>
public sealed record ApplicationListQuery(
    string? Country, string? Status, string? Limit, string? Cursor, string? Q, [property: FromQuery(Name = "assigned_to")] string? AssignedTo)
{
    public const int DefaultPageSize = 50;
    public const int MaxSearchLength = 64;

    public int PageSize => Limit is null ? DefaultPageSize : int.Parse(Limit, System.Globalization.CultureInfo.InvariantCulture);

    public PageCursor? After => PageCursor.TryDecode(Cursor, out var after) ? after : null;
}

public sealed class ApplicationListQueryValidator : AbstractValidator<ApplicationListQuery>
{
    public ApplicationListQueryValidator()
    {
        RuleFor(query => query.Country).Must(country => country is null || CountryRegistry.TryGet(country, out _))
            .WithMessage(query => $"'{query.Country}' is not a country CreditDesk lends in.").OverridePropertyName("country");
        RuleFor(query => query.Status).Must(status => status is null || ApplicationStatusCodes.TryParse(status, out _))
            .WithMessage($"Status must be one of {string.Join(", ", ApplicationStatusCodes.AllCodes)}.").OverridePropertyName("status");
        RuleFor(query => query.Limit)
            .Must(limit => limit is null || (limit.All(char.IsAsciiDigit) && int.TryParse(limit, out var size) && size is >= 1 and <= ApplicationQueries.MaxPageSize))
            .WithMessage($"Limit must be a whole number from 1 to {ApplicationQueries.MaxPageSize}.").OverridePropertyName("limit");
        RuleFor(query => query.Cursor).Must(cursor => PageCursor.TryDecode(cursor, out _))
            .WithMessage("The cursor is not one this API returned.").OverridePropertyName("cursor");
        RuleFor(query => query.AssignedTo).MaximumLength(64).WithMessage("assigned_to is \"me\", \"none\" or a user id.").OverridePropertyName("assigned_to");
        RuleFor(query => query.Q).MaximumLength(ApplicationListQuery.MaxSearchLength)
            .WithMessage($"A search has at most {ApplicationListQuery.MaxSearchLength} characters: a reference, an id or an identity document.")
            .OverridePropertyName("q");
    }
}

/// <summary>
/// <c>POST /api/v1/applications</c>'s body, for the API description only: the endpoint reads the bytes itself (they
/// are hashed for Idempotency-Key), so a wrong type is a field error rather than an unreadable body.
/// </summary>
public sealed record NewApplicationRequest(string Country, string FullName, string Document, string Amount, string MonthlyIncome, int? TermMonths);

/// <summary>
/// <c>POST /api/v1/webhooks/bank-confirmation</c>'s body, for the API description only: the endpoint reads the bytes
/// itself, because the signature is over them.
/// </summary>
public sealed record BankConfirmationRequest(
    string EventId, string EventType, Guid ApplicationId, string ProviderReference, string Amount, string Currency, DateTimeOffset OccurredAt);

public sealed record WebhookReceipt(string Status);

public static class RequestValidation
{
    /// <summary>Text PostgreSQL can store and people can read: no NUL, at most <paramref name="maxLength"/> characters.</summary>
    public static IRuleBuilderOptions<T, string?> StorableText<T>(this IRuleBuilder<T, string?> rule, int maxLength, string tooLong) =>
        rule.MaximumLength(maxLength).WithMessage(tooLong)
            .Must(text => text is null || !text.Contains('\0', StringComparison.Ordinal)).WithMessage(JsonBody.UnreadableText);

    /// <summary>Validates the endpoint's <typeparamref name="T"/> argument with its registered validator: a 422 listing the fields, or the handler.</summary>
    public static RouteHandlerBuilder Validated<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// <see cref="Validated{T}"/> for a JSON body: also documents what reading the body can answer before validation
    /// (400 for JSON that cannot be read, 415 for another media type).
    /// </summary>
    public static RouteHandlerBuilder ValidatedBody<T>(this RouteHandlerBuilder builder) =>
        builder.Validated<T>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (context.Arguments.OfType<T>().FirstOrDefault() is { } request
                && await validator.ValidateAsync(request, context.HttpContext.RequestAborted) is { IsValid: false } result)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]>(result.ToDictionary()));
            }
            return await next(context);
        }
    }
}
