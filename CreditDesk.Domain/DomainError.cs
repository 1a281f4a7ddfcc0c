namespace CreditDesk.Domain;

/// <summary>A refusal the business understands: a stable code for machines and a sentence for people.</summary>
public sealed record DomainError(string Code, string Message)
{
    public static DomainError UnknownCountry(string? code) =>
        new("unknown_country", $"'{code}' is not a country CreditDesk lends in.");

    public static DomainError InvalidTransition(string from, string to, string actor) =>
        new("invalid_transition", $"An application cannot move from {from} to {to} by {actor}.");

    public static DomainError ReasonRequired(string from, string to) =>
        new("reason_required", $"Moving an application from {from} to {to} by hand needs a reason.");
}

public sealed class DomainException(DomainError error) : Exception(error.Message)
{
    public DomainError Error { get; } = error;
}
