using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Spain;

/// <summary>DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter); the letter is the number mod 23 in the official table.</summary>
public sealed class SpanishDocument : IDocumentValidator
{
    private const string CheckLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    public DocumentCheck Validate(string? document, DateOnly today)
    {
        var text = DocumentText.Normalize(document);
        if (text.Length == 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "ES", "Empty");
        }
        if (text.Length != 9)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "ES", "Length");
        }

        var prefix = text[0] switch { 'X' => '0', 'Y' => '1', 'Z' => '2', _ => text[0] };
        var digits = prefix + text[1..8];
        if (!DocumentText.AllDigits(digits) || !char.IsAsciiLetterUpper(text[8]))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "ES", "Characters");
        }

        var expected = CheckLetters[(int)(long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 23)];
        return text[8] == expected
            ? DocumentCheck.Valid(text)
            : DocumentCheck.Invalid(text, DocumentProblem.CheckDigit, "ES", "CheckDigit");
    }
}
