using System.Globalization;
using System.Resources;

namespace CreditDesk.Domain.Texts;

/// <summary>
/// The Domain's sentences for people (document and form errors, refusals, country facts) in <c>DomainText.resx</c> and its
/// translations beside it: one source for the API's English and the screens' languages.
/// </summary>
public static class DomainText
{
    /// <summary>The language of the HTTP API, the logs and anything not shown to a person in their own language.</summary>
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>The resources themselves (the completeness tests read every key through it).</summary>
    public static ResourceManager Resources { get; } = new("CreditDesk.Domain.Texts.DomainText", typeof(DomainText).Assembly);

    /// <summary>The template for <paramref name="key"/> in <paramref name="culture"/> (falling back to English), or an error that names the key.</summary>
    public static string Template(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new KeyNotFoundException($"DomainText has no '{key}'.");
}

/// <summary>A sentence for a person: its key in <see cref="DomainText"/> and the values it names. English unless asked for a culture.</summary>
public sealed record Wording(string Key, params object[] Values)
{
    /// <summary>In English: what the API answers and what is logged.</summary>
    public string Text => In(DomainText.English);

    /// <summary>In <paramref name="culture"/>'s language, its numbers written the culture's way.</summary>
    public string In(CultureInfo culture) => string.Format(culture, DomainText.Template(Key, culture), Values);

    public override string ToString() => Text;
}
