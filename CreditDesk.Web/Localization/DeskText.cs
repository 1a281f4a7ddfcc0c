using System.Globalization;
using System.Resources;

namespace CreditDesk.Web.Localization;

/// <summary>
/// The screens' words: <c>DeskText.resx</c> (English) and its translations beside it (es, pt, it). Components take them
/// through <c>IStringLocalizer&lt;DeskText&gt;</c>; the Domain's own sentences come from <see cref="Domain.Texts.DomainText"/>.
/// </summary>
public sealed class DeskText
{
    /// <summary>The resources themselves (the completeness tests read every key through it).</summary>
    public static ResourceManager Resources { get; } = new(typeof(DeskText).FullName!, typeof(DeskText).Assembly);

    /// <summary>A text in English, whatever the request's culture: the HTTP API does not change its words with Accept-Language.</summary>
    public static string English(string key) => Resources.GetString(key, Domain.Texts.DomainText.English) ?? key;
}
