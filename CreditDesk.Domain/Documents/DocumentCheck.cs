using CreditDesk.Domain.Texts;

namespace CreditDesk.Domain.Documents;

/// <summary>Which part of an identity document is wrong.</summary>
public enum DocumentProblem
{
    None,
    Empty,
    Length,
    Characters,
    Date,
    CheckDigit,
    Age,
    Region,
}

/// <summary>The outcome of validating an identity document: valid with its normalised form, or the reason it is not.</summary>
public sealed record DocumentCheck(string Normalized, DocumentProblem Problem, Wording? Says)
{
    public bool IsValid => Problem == DocumentProblem.None;

    /// <summary>What is wrong, in English (the API's words); <see cref="Says"/> gives it in any language.</summary>
    public string? Message => Says?.Text;

    public static DocumentCheck Valid(string normalized) => new(normalized, DocumentProblem.None, null);

    /// <summary>Invalid, said by the <c>Document.{country}.{what}</c> text of <see cref="DomainText"/>.</summary>
    public static DocumentCheck Invalid(string normalized, DocumentProblem problem, string country, string what, params object[] values) =>
        new(normalized, problem, new Wording($"Document.{country}.{what}", values));
}

/// <summary>Validates one country's identity document. <paramref name="today"/> matters only where the document holds a birth date.</summary>
public interface IDocumentValidator
{
    DocumentCheck Validate(string? document, DateOnly today);
}
