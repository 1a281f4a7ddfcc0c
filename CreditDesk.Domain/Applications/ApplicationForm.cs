using System.Text.RegularExpressions;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Texts;

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

    /// <summary>Every problem with the form, by field, in English (the API's words); empty when the form is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ApplicationForm form, DateOnly today) =>
        Problems(form, today).ToDictionary(problem => problem.Key, problem => new[] { problem.Value.Text });

    /// <summary>Every problem with the form, by field, as wordings a screen shows in its own language.</summary>
    public static IReadOnlyDictionary<string, Wording> Problems(ApplicationForm form, DateOnly today)
    {
        var errors = new Dictionary<string, Wording>();
        void Add(string field, Wording? message)
        {
            if (message is not null)
            {
                errors[field] = message;
            }
        }

        if (!CountryRegistry.TryGet(form.Country, out var policy))
        {
            Add(Fields.Country, string.IsNullOrWhiteSpace(form.Country) ? new Wording("Form.Country.Empty") : DomainError.UnknownCountry(form.Country).Says);
        }
        else
        {
            Add(Fields.Document, policy.Document.Validate(form.Document, today).Says);
        }
        Add(Fields.FullName, FullNameError(form.FullName));
        Add(Fields.Amount, MoneyError(form.Amount, MoneyField.Amount));
        Add(Fields.MonthlyIncome, MoneyError(form.MonthlyIncome, MoneyField.MonthlyIncome));
        Add(Fields.TermMonths, TermError(form.TermMonths));
        return errors;
    }

    public static Wording? FullNameError(string? fullName)
    {
        var name = fullName?.Trim() ?? "";
        if (name.Length == 0)
        {
            return new Wording("Form.FullName.Empty");
        }
        if (name.Length is < MinimumNameLength or > MaximumNameLength)
        {
            return new Wording("Form.FullName.Length", MinimumNameLength, MaximumNameLength);
        }
        if (!NameCharacters().IsMatch(name) || !name.Any(char.IsLetter))
        {
            return new Wording("Form.FullName.Characters");
        }
        return null;
    }

    public static Wording? MoneyError(decimal? value, MoneyField field)
    {
        if (value is not { } amount)
        {
            return new Wording(field == MoneyField.Amount ? "Form.Amount.Empty" : "Form.Income.Empty");
        }
        if (amount <= 0)
        {
            return new Wording("Form.Money.NotPositive");
        }
        if (amount > MaximumMoney)
        {
            return new Wording("Form.Money.TooLarge");
        }
        return amount.Scale > Money.Decimals && amount != Money.RoundToCents(amount)
            ? new Wording("Form.Money.Decimals")
            : null;
    }

    /// <summary>Why a typed amount could not be read, with an example written the culture's way.</summary>
    public static Wording MoneyInputError(MoneyReadingError error, IFormatProvider culture)
    {
        var example = MoneyText.Format(15_000.5m, culture);
        return error switch
        {
            MoneyReadingError.MisplacedGrouping => new Wording("Form.Money.Grouping", example),
            MoneyReadingError.TooManyDecimals => new Wording("Form.Money.TypedDecimals", example),
            _ => new Wording("Form.Money.NotANumber", example),
        };
    }

    /// <summary>A typed term in months: a whole number, never clamped into range.</summary>
    public static (int? Months, Wording? Error) ReadTerm(string? text)
    {
        var typed = text?.Trim() ?? "";
        if (typed.Length == 0)
        {
            return (null, new Wording("Form.Term.Empty"));
        }
        if (!typed.All(char.IsAsciiDigit) || !int.TryParse(typed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var months))
        {
            return (null, new Wording("Form.Term.NotANumber", MinimumTermMonths, MaximumTermMonths));
        }
        return (months, TermError(months));
    }

    public static Wording? TermError(int? termMonths) =>
        termMonths is >= MinimumTermMonths and <= MaximumTermMonths
            ? null
            : new Wording("Form.Term.Range", MinimumTermMonths, MaximumTermMonths);
}

/// <summary>Which of the form's amounts a problem is about (an empty one is asked for by name).</summary>
public enum MoneyField
{
    Amount,
    MonthlyIncome,
}
