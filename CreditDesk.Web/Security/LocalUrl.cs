namespace CreditDesk.Web.Security;

/// <summary>Where a redirect may go back to: a path on this site only.</summary>
public static class LocalUrl
{
    /// <summary>A path on this site: "/" then not "/" or "\\", and no control characters (browsers drop tabs and newlines, so
    /// "/\t/evil.example" would become "//evil.example").</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    public static string OrRoot(string? url) => IsLocal(url) ? url! : "/";
}
