using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries;

/// <summary>Everything that differs by country: currency, identity document, bureau and lending rules.</summary>
public interface ICountryPolicy
{
    string Code { get; }
    string Name { get; }
    string Currency { get; }
    string DocumentName { get; }
    string DocumentHint { get; }
    string DocumentPlaceholder { get; }
    string BureauName { get; }
    IDocumentValidator Document { get; }

    /// <summary>This country's own rules; the rules every country shares are added by the decision engine.</summary>
    IReadOnlyList<RuleResult> Evaluate(Assessment a);
}
