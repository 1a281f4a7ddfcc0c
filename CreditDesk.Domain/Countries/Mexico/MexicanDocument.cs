using System.Text.RegularExpressions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Mexico;

/// <summary>
/// CURP: 18 characters in RENAPO's structure (name letters, birth date, sex, state, consonants, homoclave, check digit).
/// The applicant must be 18 or older on the day of the application.
/// </summary>
public sealed partial class MexicanDocument : IDocumentValidator
{
    private const int Length = 18;
    private const int AdultAge = 18;
    private const string CheckAlphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

    private static readonly HashSet<string> StateCodes =
    [
        "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN",
        "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE",
    ];

    [GeneratedRegex(@"^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HM][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z0-9][0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Structure();

    public DocumentCheck Validate(string? document, DateOnly today)
    {
        var text = DocumentText.Normalize(document);
        if (text.Length == 0)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Empty, "MX", "Empty");
        }
        if (text.Length != Length)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Length, "MX", "Length");
        }
        if (!Structure().IsMatch(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Characters, "MX", "Characters");
        }
        if (!StateCodes.Contains(text[11..13]))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Region, "MX", "Region", text[11..13]);
        }
        if (BirthDate(text) is not { } birthDate)
        {
            return DocumentCheck.Invalid(text, DocumentProblem.Date, "MX", "Date");
        }
        if (text[17] - '0' != CheckDigit(text))
        {
            return DocumentCheck.Invalid(text, DocumentProblem.CheckDigit, "MX", "CheckDigit");
        }
        return birthDate.AddYears(AdultAge) <= today
            ? DocumentCheck.Valid(text)
            : DocumentCheck.Invalid(text, DocumentProblem.Age, "MX", "Age");
    }

    private static DateOnly? BirthDate(string text)
    {
        // The 17th character is a digit for people born before 2000 and a letter from 2000 on.
        var century = char.IsAsciiDigit(text[16]) ? 1900 : 2000;
        var year = century + int.Parse(text.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture);
        var month = int.Parse(text.AsSpan(6, 2), System.Globalization.CultureInfo.InvariantCulture);
        var day = int.Parse(text.AsSpan(8, 2), System.Globalization.CultureInfo.InvariantCulture);
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    private static int CheckDigit(string text)
    {
        var sum = 0;
        for (var i = 0; i < Length - 1; i++)
        {
            sum += CheckAlphabet.IndexOf(text[i]) * (Length - i);
        }
        return (10 - sum % 10) % 10;
    }
}
