using System.Text.RegularExpressions;
using CreditDesk.Domain.Countries;

namespace CreditDesk.Domain.Applications;

/// <summary>What an applicant submits, before validation. Field names match the API's snake_case keys.</summary>
public sealed record ApplicationForm(
    string? Country,
    string? FullName,
    string? Document,
    decimal? Amount,
    decimal? MonthlyIncome,
    int? TermMonths);

/// <summary>SPEC §2's field rules, shared by the browser form, the API and the submission service.</summary>
public static partial class ApplicationFormRules
{
    public const int MinimumTermMonths = 6;
    public const int MaximumTermMonths = 84;
    public const int DefaultTermMonths = 36;
    public const int MinimumNameLength = 2;
    public const int MaximumNameLength = 120;

    /// <summary>The largest value numeric(14,2) holds.</summary>
    public const decimal MaximumMoney = 999_999_999_999.99m;

    public static class Fields
    {
        public const string Country = "country";
        public const string FullName = "full_name";
        public const string Document = "document";
        public const string Amount = "amount";
        public const string MonthlyIncome = "monthly_income";
        public const string TermMonths = "term_months";
    }

    [GeneratedRegex(@"^[\p{L}\p{M}' .\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameCharacters();

    /// <summary>Every problem with the form, by field; empty when the form is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ApplicationForm form, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string? message)
        {
            if (message is not null)
            {
                errors[field] = [message];
            }
        }

        if (!CountryRegistry.TryGet(form.Country, out var policy))
        {
            Add(Fields.Country, string.IsNullOrWhiteSpace(form.Country) ? "Choose a country." : DomainError.UnknownCountry(form.Country).Message);
        }
        else
        {
            var document = policy.Document.Validate(form.Document, today);
            Add(Fields.Document, document.Message);
        }
        Add(Fields.FullName, FullNameError(form.FullName));
        Add(Fields.Amount, MoneyError(form.Amount, "requested amount"));
        Add(Fields.MonthlyIncome, MoneyError(form.MonthlyIncome, "monthly income"));
        Add(Fields.TermMonths, TermError(form.TermMonths));
        return errors;
    }

    public static string? FullNameError(string? fullName)
    {
        var name = fullName?.Trim() ?? "";
        if (name.Length == 0)
        {
            return "Enter your full name.";
        }
        if (name.Length is < MinimumNameLength or > MaximumNameLength)
        {
            return $"A full name has between {MinimumNameLength} and {MaximumNameLength} characters.";
        }
        if (!NameCharacters().IsMatch(name) || !name.Any(char.IsLetter))
        {
            return "A full name may contain letters (accents included), spaces, apostrophes, hyphens and dots only.";
        }
        return null;
    }

    public static string? MoneyError(decimal? value, string what)
    {
        if (value is not { } amount)
        {
            return $"Enter the {what}.";
        }
        if (amount <= 0)
        {
            return $"The {what} must be greater than zero.";
        }
        if (amount > MaximumMoney)
        {
            return $"The {what} is too large.";
        }
        return amount.Scale > Money.Decimals && amount != Money.RoundToCents(amount)
            ? $"The {what} can have at most two decimals."
            : null;
    }

    /// <summary>Why a typed amount could not be read, with an example written the culture's way.</summary>
    public static string MoneyInputError(MoneyReadingError error, string what, IFormatProvider culture)
    {
        var example = MoneyText.Format(15_000.5m, culture);
        return error switch
        {
            MoneyReadingError.MisplacedGrouping => $"The {what} has a thousands separator in the wrong place: type it like {example}, or with no separators.",
            MoneyReadingError.TooManyDecimals => $"The {what} can have at most two decimals: type it like {example}.",
            _ => $"Type the {what} with digits only, like {example}.",
        };
    }

    /// <summary>A typed term in months: a whole number, never clamped into range.</summary>
    public static (int? Months, string? Error) ReadTerm(string? text)
    {
        var typed = text?.Trim() ?? "";
        if (typed.Length == 0)
        {
            return (null, "Enter the term in months.");
        }
        if (!typed.All(char.IsAsciiDigit) || !int.TryParse(typed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var months))
        {
            return (null, $"Type the term as a whole number of months, from {MinimumTermMonths} to {MaximumTermMonths}.");
        }
        return (months, TermError(months));
    }

    public static string? TermError(int? termMonths) =>
        termMonths is >= MinimumTermMonths and <= MaximumTermMonths
            ? null
            : $"The term must be between {MinimumTermMonths} and {MaximumTermMonths} months.";
}
