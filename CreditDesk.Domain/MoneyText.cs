using System.Globalization;
using System.Text;

namespace CreditDesk.Domain;

/// <summary>The outcome of reading an amount a person typed: the amount, nothing typed, or why it cannot be read.</summary>
public readonly record struct MoneyReading(decimal? Amount, MoneyReadingError? Error)
{
    public bool IsEmpty => Amount is null && Error is null;
}

public enum MoneyReadingError
{
    /// <summary>Something other than digits, the decimal separator and the grouping separator (letters, exponents, signs).</summary>
    NotANumber,

    /// <summary>A grouping separator anywhere but between groups of three digits, or after the decimal separator.</summary>
    MisplacedGrouping,

    /// <summary>More than two digits after the decimal separator, or a separator with no digits after it.</summary>
    TooManyDecimals,
}

/// <summary>
/// Reads amounts the way the person's culture writes them, and refuses rather than guesses: "2500,50" is 2 500.50 in
/// pt-BR and an error in en (a comma there groups thousands, in threes); "15.000" is 15 000 in pt-BR and an error in en
/// (three decimals). Only digits, that culture's decimal separator and its grouping separator are accepted.
/// </summary>
public static class MoneyText
{
    private const int GroupSize = 3;

    /// <summary>The amount as the culture writes it with two decimals; <see cref="Read"/> gives back the same decimal.</summary>
    public static string Format(decimal amount, IFormatProvider culture) => amount.ToString("N2", culture);

    /// <summary>
    /// Money in its own currency as the culture writes money: the culture's separators and currency pattern, with the
    /// currency's symbol where it cannot be mistaken (€ and R$ anywhere, $ only at home: "$5,000.00" in es-MX) and its ISO
    /// code elsewhere ("5.000,00 MXN" in es-ES, "COP 5,000.00" in en). Always two decimals: never a cent hidden.
    /// </summary>
    public static string Format(decimal amount, string currency, IFormatProvider culture) =>
        amount.ToString("C", culture is CultureInfo known ? CurrencyFormats.GetOrAdd((known.Name, currency), key => CurrencyFormat(known, key.Currency)) : CurrencyFormat(culture, currency))
            // Never broken across lines between the amount and its currency.
            .Replace(' ', '\u00A0');

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Culture, string Currency), NumberFormatInfo> CurrencyFormats = new();

    /// <summary>Symbols read the same way wherever they are written.</summary>
    private static readonly Dictionary<string, string> UnmistakableSymbols = new() { ["EUR"] = "€", ["BRL"] = "R$" };

    private static NumberFormatInfo CurrencyFormat(IFormatProvider culture, string currency)
    {
        var format = (NumberFormatInfo)NumberFormatInfo.GetInstance(culture).Clone();
        format.CurrencyDecimalDigits = Money.Decimals;
        format.CurrencySymbol = IsHomeOf(culture, currency) ? format.CurrencySymbol : UnmistakableSymbols.GetValueOrDefault(currency, currency);
        if (format.CurrencySymbol.All(char.IsAsciiLetter))
        {
            // An ISO code is a word: it is kept apart from the digits ("COP 5,000.00", never "COP5,000.00").
            format.CurrencyPositivePattern = format.CurrencyPositivePattern switch { 0 => 2, 1 => 3, var pattern => pattern };
        }
        return format;
    }

    private static bool IsHomeOf(IFormatProvider culture, string currency) =>
        culture is CultureInfo { IsNeutralCulture: false, Name.Length: > 0 } specific && new RegionInfo(specific.Name).ISOCurrencySymbol == currency;

    public static MoneyReading Read(string? text, IFormatProvider culture)
    {
        var format = NumberFormatInfo.GetInstance(culture);
        var typed = (text ?? "").Trim();
        if (typed.Length == 0)
        {
            return new MoneyReading(null, null);
        }
        var decimalSeparator = format.NumberDecimalSeparator;
        var groupSeparator = format.NumberGroupSeparator;
        // Cultures that group with a (narrow) no-break space are typed with a plain space.
        if (groupSeparator.Length == 1 && char.IsWhiteSpace(groupSeparator[0]))
        {
            typed = typed.Replace('\u00A0', ' ').Replace('\u202F', ' ');
            groupSeparator = " ";
        }

        var separatorAt = typed.IndexOf(decimalSeparator, StringComparison.Ordinal);
        var whole = separatorAt < 0 ? typed : typed[..separatorAt];
        var fraction = separatorAt < 0 ? "" : typed[(separatorAt + decimalSeparator.Length)..];

        if (!IsDigitsAndSeparators(whole, groupSeparator) || !IsDigitsAndSeparators(fraction, groupSeparator)
            || fraction.Contains(decimalSeparator, StringComparison.Ordinal))
        {
            return new MoneyReading(null, MoneyReadingError.NotANumber);
        }
        if (fraction.Contains(groupSeparator, StringComparison.Ordinal))
        {
            return new MoneyReading(null, MoneyReadingError.MisplacedGrouping);
        }
        if (separatorAt >= 0 && fraction.Length is 0 or > Money.Decimals)
        {
            return new MoneyReading(null, MoneyReadingError.TooManyDecimals);
        }
        if (whole.Length == 0)
        {
            return new MoneyReading(null, MoneyReadingError.NotANumber);
        }
        if (!IsWellGrouped(whole, groupSeparator))
        {
            return new MoneyReading(null, MoneyReadingError.MisplacedGrouping);
        }

        var digits = new StringBuilder(whole.Replace(groupSeparator, "", StringComparison.Ordinal));
        if (fraction.Length > 0)
        {
            digits.Append('.').Append(fraction);
        }
        return decimal.TryParse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? new MoneyReading(amount, null)
            : new MoneyReading(null, MoneyReadingError.NotANumber);
    }

    private static bool IsDigitsAndSeparators(string part, string groupSeparator) =>
        part.Replace(groupSeparator, "", StringComparison.Ordinal).All(char.IsAsciiDigit);

    /// <summary>Either no grouping at all, or one to three leading digits followed by groups of exactly three.</summary>
    private static bool IsWellGrouped(string whole, string groupSeparator)
    {
        if (!whole.Contains(groupSeparator, StringComparison.Ordinal))
        {
            return true;
        }
        var groups = whole.Split(groupSeparator);
        return groups[0].Length is >= 1 and <= GroupSize && groups.Skip(1).All(group => group.Length == GroupSize);
    }
}
