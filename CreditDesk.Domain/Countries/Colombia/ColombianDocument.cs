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
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "CO", "Empty");
        }
        if (!DocumentText.AllDigits(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "CO", "Characters");
        }
        if (text.Length is < MinimumLength or > MaximumLength)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "CO", "Length");
        }
        return text[0] == '0'
            ? DocumentCheck.Invalid(text, DocumentProblem.Characters, "CO", "LeadingZero")
            : DocumentCheck.Valid(text);
    }
}
