using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Colombia;

/// <summary>Cédula de ciudadanía: 6 to 10 digits, never starting with zero.</summary>
public sealed class ColombianDocument : IDocumentValidator
{
    private const int MinimumLength = 6;
    private const int MaximumLength = 10;

    public DocumentCheck Validate(string? document, DateOnly today)
    {
        var text = DocumentText.Normalize(document);
        if (text.Length == 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "Enter your cédula number.");
        }
        if (!DocumentText.AllDigits(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "A cédula contains digits only.");
        }
        if (text.Length is < MinimumLength or > MaximumLength)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "A cédula has between 6 and 10 digits.");
        }
        return text[0] == '0'
            ? DocumentCheck.Invalid(text, DocumentProblem.Characters, "A cédula never starts with 0.")
            : DocumentCheck.Valid(text);
    }
}
