using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Italy;

/// <summary>
/// Codice Fiscale: 6 letters, birth year, month letter, birth day (+40 for women), place code, check letter.
/// Digits may be replaced by the omocodia letters L M N P Q R S T U V when two people would otherwise share a code.
/// </summary>
public sealed class ItalianDocument : IDocumentValidator
{
    private const int Length = 16;
    private const string MonthLetters = "ABCDEHLMPRST";
    private const string OmocodiaLetters = "LMNPQRSTUV";
    private const int FemaleDayOffset = 40;
    private static readonly int[] NumericPositions = [6, 7, 9, 10, 12, 13, 14];
    private static readonly int[] LetterPositions = [0, 1, 2, 3, 4, 5, 8, 11, 15];

    // Values of 0-9 then A-Z in odd (1st, 3rd, …) positions, from the official table.
    private static readonly int[] OddValues =
    [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
    ];

    public DocumentCheck Validate(string? document, DateOnly today)
    {
        var text = DocumentText.Normalize(document);
        if (text.Length == 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "IT", "Empty");
        }
        if (text.Length != Length)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "IT", "Length");
        }
        if (!HasValidCharacters(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "IT", "Characters");
        }
        if (!HasValidBirthDate(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Date, "IT", "Date");
        }
        return text[15] == CheckLetter(text)
            ? DocumentCheck.Valid(text)
            : DocumentCheck.Invalid(text, DocumentProblem.CheckDigit, "IT", "CheckDigit");
    }

    private static bool HasValidCharacters(string text)
    {
        foreach (var position in LetterPositions)
        {
            if (!char.IsAsciiLetterUpper(text[position]))
            {
                return false;
            }
        }
        foreach (var position in NumericPositions)
        {
            if (!char.IsAsciiDigit(text[position]) && !OmocodiaLetters.Contains(text[position]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasValidBirthDate(string text)
    {
        var month = MonthLetters.IndexOf(text[8]) + 1;
        if (month == 0)
        {
            return false;
        }
        var year = NumericValue(text, 6, 2);
        var day = NumericValue(text, 9, 2);
        if (day > FemaleDayOffset)
        {
            day -= FemaleDayOffset;
        }
        // The century is not encoded, so 29 February is accepted on any year divisible by four.
        var daysInMonth = month == 2 ? (year % 4 == 0 ? 29 : 28) : DateTime.DaysInMonth(2001, month);
        return day >= 1 && day <= daysInMonth;
    }

    private static int NumericValue(string text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = text[i];
            value = value * 10 + (char.IsAsciiDigit(c) ? c - '0' : OmocodiaLetters.IndexOf(c));
        }
        return value;
    }

    private static char CheckLetter(string text)
    {
        var sum = 0;
        for (var i = 0; i < Length - 1; i++)
        {
            var c = text[i];
            var index = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            sum += i % 2 == 0 ? OddValues[index] : (char.IsAsciiDigit(c) ? c - '0' : c - 'A');
        }
        return (char)('A' + sum % 26);
    }
}
