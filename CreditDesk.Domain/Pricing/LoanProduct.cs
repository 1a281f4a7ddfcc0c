using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace CreditDesk.Domain.Pricing;

/// <summary>The nominal annual rate for amounts up to <see cref="UpToAmount"/> (the last band has no ceiling).</summary>
public sealed record RateBand(decimal UpToAmount, decimal NominalAnnualRate);

/// <summary>Which legal cost figure a country discloses, each computed from the loan's cash flows (see <see cref="CostOfCredit"/>).</summary>
public enum CostFigure
{
    /// <summary>Spain: tasa anual equivalente (EU Consumer Credit Directive, Annex I equation).</summary>
    Tae,

    /// <summary>Portugal and Italy: taxa / tasso annuo effettivo globale (the same EU equation).</summary>
    Taeg,

    /// <summary>Mexico: costo anual total (Banxico), fees included, VAT excluded.</summary>
    Cat,

    /// <summary>Brazil: custo efetivo total (CMN Resolution 3.517), fees and IOF included.</summary>
    Cet,

    /// <summary>Colombia: tasa efectiva anual, the monthly rate of the cash flows compounded over a year.</summary>
    EffectiveAnnualRate,
}

/// <summary>
/// A country's personal loan: rate by amount band, an opening fee, the amounts and terms it lends, and the cost figure
/// the law there asks for. Its <see cref="Version"/> is a hash of its content, so a decision can say which terms it used.
/// </summary>
public sealed record LoanProduct(
    string Country,
    string Currency,
    DateOnly EffectiveFrom,
    decimal MinAmount,
    decimal MaxAmount,
    int MinTermMonths,
    int MaxTermMonths,
    IReadOnlyList<RateBand> Bands,
    decimal OpeningFeeRate,
    CostFigure Figure)
{
    /// <summary>Brazil's IOF on credit to individuals: 0.38 % at once plus 0.0082 % a day, the days capped at 365 (Decree 6.306/2007).</summary>
    public bool ChargesIof => Country == "BR";

    public decimal NominalRateFor(decimal amount) => Bands.First(band => amount <= band.UpToAmount).NominalAnnualRate;

    public decimal OpeningFee(decimal amount) => Money.RoundToCents(amount * OpeningFeeRate);

    /// <summary>Taxes the borrower pays when the money is lent (Brazil's IOF; none elsewhere), in cents.</summary>
    public decimal TaxesAtOpening(decimal amount, int termMonths) => ChargesIof
        ? Money.RoundToCents(amount * (0.0038m + 0.000082m * Math.Min(365, termMonths * 30)))
        : 0m;

    /// <summary>The terms in one line, hashed: equal content, equal version; any change, a new one. Numbers are written the invariant way, so every process and every reader's language gets the same version.</summary>
    public string Version => Hash(CultureInfo.InvariantCulture);

    /// <summary>
    /// The version as it was hashed before 2026-11-23 by a thread reading a comma-decimal language (es, pt, it): the
    /// hash followed the thread's culture, so applications submitted from those screens recorded this one. Still
    /// recognised (<see cref="LoanProducts.Find"/>), so they find their terms.
    /// </summary>
    public string CommaDecimalVersion => Hash(CommaDecimal);

    private static readonly CultureInfo CommaDecimal = CultureInfo.GetCultureInfo("es-ES");

    private string Hash(CultureInfo numbers)
    {
        var content = string.Join('|', Country, Currency, EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MinAmount.ToString(numbers), MaxAmount.ToString(numbers), MinTermMonths.ToString(numbers), MaxTermMonths.ToString(numbers),
            OpeningFeeRate.ToString(numbers), Figure,
            string.Join(';', Bands.Select(band => string.Create(numbers, $"{band.UpToAmount}:{band.NominalAnnualRate}"))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..12];
    }

    /// <summary>Quotes already worked out, per product instance (a list page prices 25 rows on every read, each an amortisation schedule and an iterative rate).</summary>
    private static readonly ConditionalWeakTable<LoanProduct, ConcurrentDictionary<(decimal Amount, byte Scale, int TermMonths), LoanQuote>> Quotes = new();

    private const int MaximumRememberedQuotes = 4_096;

    /// <summary>
    /// Everything the applicant must be told before signing, for this amount and term. A pure function of the product and
    /// its arguments, so the last few thousand answers per product are remembered (the scale is part of the key, so
    /// 5000 and 5000.00 each get their own quote).
    /// </summary>
    public LoanQuote Quote(decimal amount, int termMonths)
    {
        var remembered = Quotes.GetValue(this, _ => new ConcurrentDictionary<(decimal, byte, int), LoanQuote>());
        var key = (amount, amount.Scale, termMonths);
        if (remembered.TryGetValue(key, out var quote))
        {
            return quote;
        }
        quote = Price(amount, termMonths);
        if (remembered.Count < MaximumRememberedQuotes)
        {
            remembered.TryAdd(key, quote);
        }
        return quote;
    }

    private LoanQuote Price(decimal amount, int termMonths)
    {
        var rate = NominalRateFor(amount);
        var schedule = Amortisation.Schedule(amount, rate, termMonths);
        var fee = OpeningFee(amount);
        var taxes = TaxesAtOpening(amount, termMonths);
        var figure = CostOfCredit.AnnualRate(amount - fee - taxes, schedule.Select(instalment => instalment.Payment).ToList());
        return new LoanQuote(this, amount, termMonths, rate, schedule[0].Payment, fee, taxes, schedule.Sum(instalment => instalment.Payment), figure, schedule);
    }
}

/// <summary>
/// A priced loan. <see cref="MonthlyPayment"/> is the annuity (every instalment but possibly the last, which absorbs
/// the rounding); <see cref="TotalRepayable"/> is the sum of the instalments; <see cref="CostFigureRate"/> is the
/// country's legal cost figure as a fraction (0.0912 = 9.12 %), fees and taxes included.
/// </summary>
public sealed record LoanQuote(
    LoanProduct Product, decimal Amount, int TermMonths, decimal AnnualInterestRate, decimal MonthlyPayment, decimal OpeningFee, decimal Taxes,
    decimal TotalRepayable, decimal CostFigureRate, IReadOnlyList<Instalment> Schedule)
{
    /// <summary>The cost figure as a percentage with two decimals (9.12).</summary>
    public decimal CostFigurePercent => Math.Round(CostFigureRate * 100m, 2, MidpointRounding.AwayFromZero);

    public decimal AnnualInterestPercent => Math.Round(AnnualInterestRate * 100m, 2, MidpointRounding.AwayFromZero);
}
