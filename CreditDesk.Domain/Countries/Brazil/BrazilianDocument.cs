using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Brazil;

/// <summary>CPF: 11 digits, not all equal, with two mod-11 check digits.</summary>
public sealed class BrazilianDocument : IDocumentValidator
{
    public DocumentCheck Validate(string? document, DateOnly today)
    {
        var text = DocumentText.Normalize(document);
        if (text.Length == 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "BR", "Empty");
        }
        if (!DocumentText.AllDigits(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "BR", "Characters");
        }
        if (text.Length != 11)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "BR", "Length");
        }
        if (text.AsSpan().IndexOfAnyExcept(text[0]) < 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.CheckDigit, "BR", "Repeated");
        }
        return text[9] - '0' == CheckDigit(text, 9) && text[10] - '0' == CheckDigit(text, 10)
            ? DocumentCheck.Valid(text)
            : DocumentCheck.Invalid(text, DocumentProblem.CheckDigit, "BR", "CheckDigit");
    }

    private static int CheckDigit(string digits, int count)
    {
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += (digits[i] - '0') * (count + 1 - i);
        }
        var remainder = sum % 11;
        return remainder < 2 ? 0 : 11 - remainder;
    }
}
