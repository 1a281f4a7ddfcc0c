using CreditDesk.Domain.Applications;
using Fields = CreditDesk.Domain.Applications.ApplicationFormRules.Fields;

namespace CreditDesk.Tests.Domain.Applications;

public sealed class ApplicationFormRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private static readonly ApplicationForm Valid = new("ES", "María José O'Neill-Núñez Jr.", "12345678Z", 15_000m, 2_500m, 36);

    [Fact]
    public void A_complete_form_has_no_errors() => Assert.Empty(ApplicationFormRules.Validate(Valid, Today));

    [Theory]
    [InlineData("A")]
    [InlineData("R2-D2")]
    [InlineData("Robert'); DROP TABLE--")]
    [InlineData("   ")]
    [InlineData("'.-")]
    public void Refuses_names_that_are_not_2_to_120_letters_spaces_apostrophes_hyphens_or_dots(string name) =>
        Assert.Contains(Fields.FullName, ApplicationFormRules.Validate(Valid with { FullName = name }, Today).Keys);

    [Fact]
    public void Accepts_a_name_of_120_characters_and_refuses_121()
    {
        Assert.Null(ApplicationFormRules.FullNameError(new string('a', 120)));
        Assert.NotNull(ApplicationFormRules.FullNameError(new string('a', 121)));
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    [InlineData(84, true)]
    [InlineData(85, false)]
    public void Term_is_6_to_84_months(int months, bool valid) =>
        Assert.Equal(valid, ApplicationFormRules.TermError(months) is null);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10.001")]
    [InlineData("1000000000000")]
    public void Money_must_be_positive_with_at_most_two_decimals_and_fit_numeric_14_2(string amount)
    {
        var errors = ApplicationFormRules.Validate(Valid with { Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) }, Today);

        Assert.Contains(Fields.Amount, errors.Keys);
    }

    [Fact]
    public void Trailing_zeros_beyond_two_decimals_are_still_two_decimals() =>
        Assert.Null(ApplicationFormRules.MoneyError(10.500m, MoneyField.Amount));

    [Fact]
    public void An_invalid_document_is_a_field_error_on_document()
    {
        var errors = ApplicationFormRules.Validate(Valid with { Document = "12345678A" }, Today);

        Assert.Equal([Fields.Document], errors.Keys);
    }

    [Fact]
    public void An_unknown_country_is_a_field_error_on_country() =>
        Assert.Contains(Fields.Country, ApplicationFormRules.Validate(Valid with { Country = "PE" }, Today).Keys);

    [Fact]
    public void Missing_fields_are_each_reported()
    {
        var errors = ApplicationFormRules.Validate(new ApplicationForm(null, null, null, null, null, null), Today);

        Assert.Equal(
            new[] { Fields.Country, Fields.FullName, Fields.Amount, Fields.MonthlyIncome, Fields.TermMonths }.Order(),
            errors.Keys.Order());
    }
}
