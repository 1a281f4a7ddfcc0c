using CreditDesk.Domain;
using CreditDesk.Domain.Countries;

namespace CreditDesk.Tests.Domain.Countries;

public sealed class CountryRegistryTests
{
    [Theory]
    [InlineData("ES", "EUR", "ASNEF-CIRBE")]
    [InlineData("PT", "EUR", "Banco de Portugal CRC")]
    [InlineData("IT", "EUR", "CRIF")]
    [InlineData("MX", "MXN", "Buró de Crédito")]
    [InlineData("CO", "COP", "DataCrédito")]
    [InlineData("BR", "BRL", "Serasa")]
    public void Each_country_has_its_currency_and_bureau(string code, string currency, string bureau)
    {
        var policy = CountryRegistry.Get(code);

        Assert.Equal(code, policy.Code);
        Assert.Equal(currency, policy.Currency);
        Assert.Equal(bureau, policy.BureauName);
    }

    [Fact]
    public void Lends_in_exactly_the_six_countries_of_the_specification() =>
        Assert.Equal(["ES", "PT", "IT", "MX", "CO", "BR"], CountryRegistry.All.Select(p => p.Code));

    [Fact]
    public void Country_codes_are_matched_without_regard_to_case_or_surrounding_spaces() =>
        Assert.Equal("PT", CountryRegistry.Get(" pt ").Code);

    [Theory]
    [InlineData("PE")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_country_is_a_domain_error_not_a_dictionary_exception(string? code)
    {
        var error = Assert.Throws<DomainException>(() => CountryRegistry.Get(code));

        Assert.Equal("unknown_country", error.Error.Code);
        Assert.False(CountryRegistry.TryGet(code, out _));
    }

    [Fact]
    public void Each_country_lives_in_its_own_folder_with_its_document_validator_and_policy()
    {
        foreach (var policy in CountryRegistry.All)
        {
            var policyNamespace = policy.GetType().Namespace!;
            Assert.StartsWith("CreditDesk.Domain.Countries.", policyNamespace, StringComparison.Ordinal);
            Assert.Equal(policyNamespace, policy.Document.GetType().Namespace);
        }
        Assert.Equal(CountryRegistry.All.Count, CountryRegistry.All.Select(p => p.GetType().Namespace).Distinct().Count());
    }

    [Fact]
    public void The_domain_references_nothing_but_the_base_library()
    {
        var references = typeof(CountryRegistry).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal), name));
    }
}
