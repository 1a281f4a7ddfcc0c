namespace CreditDesk.Domain.Documents;

public static class DocumentText
{
    /// <summary>Trim, upper-case, and drop the spaces, dots and dashes people type between groups.</summary>
    public static string Normalize(string? document)
    {
        if (string.IsNullOrEmpty(document))
        {
            return "";
        }
        Span<char> buffer = document.Length <= 256 ? stackalloc char[document.Length] : new char[document.Length];
        var length = 0;
        foreach (var c in document)
        {
            if (!char.IsWhiteSpace(c) && c != '.' && c != '-')
            {
                buffer[length++] = char.ToUpperInvariant(c);
            }
        }
        return new string(buffer[..length]);
    }

    public static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Masks all but the last four characters, e.g. <c>****5678</c>.</summary>
    public static string Mask(string normalized) =>
        normalized.Length <= 4 ? new string('*', normalized.Length) : "****" + normalized[^4..];
}
