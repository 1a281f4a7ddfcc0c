using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Portugal;

/// <summary>NIF: 9 digits, the last a mod-11 check over the first 8 weighted 9..2.</summary>
public sealed class PortugueseDocument : IDocumentValidator
{
    public DocumentCheck Validate(string? document, DateOnly today)
    {
        var text = DocumentText.Normalize(document);
        if (text.Length == 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "PT", "Empty");
        }
        if (!DocumentText.AllDigits(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "PT", "Characters");
        }
        if (text.Length != 9)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "PT", "Length");
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (text[i] - '0') * (9 - i);
        }
        var check = 11 - sum % 11;
        if (check >= 10)
        {
            check = 0;
        }
        return text[8] - '0' == check
            ? DocumentCheck.Valid(text)
            : DocumentCheck.Invalid(text, DocumentProblem.CheckDigit, "PT", "CheckDigit");
    }
}
