using CreditDesk.Domain.Texts;

namespace CreditDesk.Domain;

/// <summary>A refusal the business understands: a stable code for machines and a sentence for people (English in <see cref="Message"/>).</summary>
public sealed record DomainError(string Code, Wording Says)
{
    public string Message => Says.Text;

    public static DomainError UnknownCountry(string? code) =>
        new("unknown_country", new Wording("Error.unknown_country", code ?? ""));

    public static DomainError InvalidTransition(string from, string to, string actor) =>
        new("invalid_transition", new Wording("Error.invalid_transition", from, to, actor));

    public static DomainError ReasonRequired(string from, string to) =>
        new("reason_required", new Wording("Error.reason_required", from, to));
}

public sealed class DomainException(DomainError error) : Exception(error.Message)
{
    public DomainError Error { get; } = error;
}
