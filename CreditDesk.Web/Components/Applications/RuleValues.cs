using System.Globalization;
using CreditDesk.Domain;
using CreditDesk.Domain.Decisions;
using CreditDesk.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CreditDesk.Web.Components.Applications;

/// <summary>
/// A rule's observed value and threshold as a person reads them: ratios as percentages, money in the application's
/// currency, yes/no for flags, scores as numbers. Stored rule results carry no unit, so it follows from the rule's name.
/// </summary>
public static class RuleValues
{
    private static readonly HashSet<string> Ratios = ["payment_to_income", "debt_to_income", "declared_income_matches_bureau"];
    private static readonly HashSet<string> Amounts = ["minimum_income", "maximum_amount", "amount_to_annual_income", "amount_requires_review"];
    private static readonly HashSet<string> Flags = ["active_defaults", "bureau_data_available"];

    public static string Format(RuleResult rule, decimal? value, string currency, CultureInfo culture, IStringLocalizer<DeskText> text) => value switch
    {
        null => "—",
        { } v when Ratios.Contains(rule.Name) => v.ToString("P1", culture),
        { } v when Amounts.Contains(rule.Name) => MoneyText.Format(v, currency, culture),
        { } v when Flags.Contains(rule.Name) => v == 1 ? text["Common.Yes"] : text["Common.No"],
        { } v => v.ToString("0.##", culture),
    };

    /// <summary>What the rule checks, in the reader's language; a rule the desk has no words for keeps the English it was stored with.</summary>
    public static string Describe(RuleResult rule, IStringLocalizer<DeskText> text) => Describe(rule.Name, rule.Description, text);

    /// <summary>What the rule named <paramref name="name"/> checks, in the reader's language, or <paramref name="otherwise"/>.</summary>
    public static string Describe(string name, string otherwise, IStringLocalizer<DeskText> text) =>
        text[$"Rule.{name}"] is { ResourceNotFound: false } known ? known.Value : otherwise;

    public static string Operator(FailsWhen failsWhen) => failsWhen switch
    {
        FailsWhen.Below => "<",
        FailsWhen.AtLeast => "≥",
        FailsWhen.Above => ">",
        _ => "=",
    };
}
