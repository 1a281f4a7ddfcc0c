using System.Globalization;
using CreditDesk.Domain;

namespace CreditDesk.Tests.Domain.Money;

public sealed class MoneyTextTests
{
    /// <summary>The desk's cultures and a few with other separators (no-break spaces, apostrophes).</summary>
    public static TheoryData<string> Cultures => ["en", "en-US", "es-ES", "es-MX", "es-CO", "pt-PT", "pt-BR", "it-IT", "fr-FR", "de-CH"];

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    [Theory]
    [InlineData("2500,50")]
    [InlineData("15.000")]
    [InlineData("15.000,50")]
    [InlineData("1e5")]
    [InlineData("1E5")]
    [InlineData("12,34,567")]
    [InlineData("1,00")]
    [InlineData("15.123")]
    [InlineData("15.")]
    [InlineData(".50")]
    [InlineData("-500")]
    [InlineData("+500")]
    [InlineData("5 000")]
    [InlineData("0x10")]
    [InlineData("١٢٣")]
    [InlineData("1.000.000")]
    public void English_refuses_what_it_would_otherwise_misread(string typed)
    {
        var reading = MoneyText.Read(typed, English);

        Assert.Null(reading.Amount);
        Assert.NotNull(reading.Error);
    }

    [Theory]
    [InlineData("2500,50", "2500.50")]
    [InlineData("15.000", "15000")]
    [InlineData("15.000,50", "15000.50")]
    [InlineData("1.234.567,8", "1234567.8")]
    [InlineData(" 300 ", "300")]
    public void Brazil_reads_its_own_way_of_writing_amounts(string typed, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), MoneyText.Read(typed, Brazil).Amount);

    [Theory]
    [InlineData("1e5", MoneyReadingError.NotANumber)]
    [InlineData("15.00", MoneyReadingError.MisplacedGrouping)]
    [InlineData("15,000", MoneyReadingError.TooManyDecimals)]
    [InlineData("15,5,0", MoneyReadingError.NotANumber)]
    [InlineData("1,50.0", MoneyReadingError.MisplacedGrouping)]
    public void Brazil_says_why_it_cannot_read_an_amount(string typed, MoneyReadingError error) =>
        Assert.Equal(error, MoneyText.Read(typed, Brazil).Error);

    [Theory]
    [InlineData("15,000.50", "15000.50")]
    [InlineData("15000.5", "15000.5")]
    [InlineData("999,999,999,999.99", "999999999999.99")]
    public void English_reads_grouped_and_plain_amounts(string typed, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), MoneyText.Read(typed, English).Amount);

    [Fact]
    public void Nothing_typed_is_empty_not_an_error()
    {
        Assert.True(MoneyText.Read("", English).IsEmpty);
        Assert.True(MoneyText.Read("   ", Brazil).IsEmpty);
        Assert.True(MoneyText.Read(null, Brazil).IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void What_is_displayed_reads_back_as_the_same_decimal_in_every_culture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        var random = new Random(20261122);
        for (var i = 0; i < 2_000; i++)
        {
            var amount = decimal.Round((decimal)random.NextDouble() * (decimal)Math.Pow(10, random.Next(0, 12)), random.Next(0, 3));
            var shown = MoneyText.Format(amount, culture);

            Assert.Equal(amount, MoneyText.Read(shown, culture).Amount);
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void An_amount_typed_without_grouping_reads_back_in_every_culture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var amount = decimal.Round((decimal)random.NextDouble() * 1_000_000m, 2);
            var typed = amount.ToString("0.##", culture);

            Assert.Equal(amount, MoneyText.Read(typed, culture).Amount);
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void A_third_decimal_is_never_silently_dropped_in_any_culture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        var typed = 1234.567m.ToString("0.000", culture);

        Assert.Null(MoneyText.Read(typed, culture).Amount);
    }
}
