using System.Globalization;
using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;
using CreditDesk.Domain.Texts;

namespace CreditDesk.Domain.Countries;

/// <summary>Everything that differs by country: currency, identity document, bureau and lending rules.</summary>
public interface ICountryPolicy
{
    string Code { get; }

    /// <summary>The culture its people write in: the default language of its document hint, the home of its currency's symbol.</summary>
    string Language { get; }

    string Currency { get; }
    string DocumentName { get; }
    string DocumentPlaceholder { get; }
    string BureauName { get; }
    IDocumentValidator Document { get; }

    /// <summary>The personal loan it offers: rates, fee, limits and the legal cost figure (one file per country, beside its rules).</summary>
    Pricing.LoanProduct Product { get; }

    /// <summary>The country's name in English (the API's); <see cref="NameIn"/> in any language.</summary>
    string Name => NameIn(DomainText.English);

    /// <summary>How its identity document is written, in English (the API's); <see cref="DocumentHintIn"/> in any language.</summary>
    string DocumentHint => DocumentHintIn(DomainText.English);

    string NameIn(CultureInfo culture) => new Wording($"Country.{Code}.Name").In(culture);

    string DocumentHintIn(CultureInfo culture) => new Wording($"Country.{Code}.DocumentHint").In(culture);

    /// <summary>This country's own rules; the rules every country shares are added by the decision engine.</summary>
    IReadOnlyList<RuleResult> Evaluate(Assessment a);
}
