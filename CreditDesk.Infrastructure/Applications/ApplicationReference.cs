using System.Globalization;
using System.Text.RegularExpressions;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>
/// The reference a person reads, says on the phone and searches for: country, year of submission and a number from one
/// database sequence (ES-2026-000123). The number makes it unique; country and year make it readable.
/// </summary>
public static partial class ApplicationReference
{
    public static string Prefix(string country, DateTimeOffset submittedAt) =>
        $"{country}-{submittedAt.UtcDateTime.Year.ToString("0000", CultureInfo.InvariantCulture)}-";

    [GeneratedRegex(@"^[A-Z]{2}-\d{4}-\d{6,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>Whether what someone typed is a reference (after trimming and upper-casing).</summary>
    public static bool TryNormalize(string? text, out string reference)
    {
        reference = (text ?? "").Trim().ToUpperInvariant();
        return Shape().IsMatch(reference);
    }
}
