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
public sealed record DocumentCheck(string Normalized, DocumentProblem Problem, string? Message)
{
    public bool IsValid => Problem == DocumentProblem.None;

    public static DocumentCheck Valid(string normalized) => new(normalized, DocumentProblem.None, null);

    public static DocumentCheck Invalid(string normalized, DocumentProblem problem, string message) => new(normalized, problem, message);
}

/// <summary>Validates one country's identity document. <paramref name="today"/> matters only where the document holds a birth date.</summary>
public interface IDocumentValidator
{
    DocumentCheck Validate(string? document, DateOnly today);
}
