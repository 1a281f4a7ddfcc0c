using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Tests.Domain.Countries;

/// <summary>
/// Valid samples come from public references: Spain's interior ministry examples (12345678Z, X1234567L) and AEAT's
/// test DNI 99999999R; Portugal's "consumidor final" NIF 999999990 and company NIFs such as 501964843; the Agenzia delle
/// Entrate examples RSSMRA85T10A562S and Giuseppe Verdi's VRDGPP13R10B293P; RENAPO's CURP examples (HEGG560427MVZRRL04
/// from the CURP article, LOOA531113HTCPBN07 published by the Mexican presidency); Receita Federal test CPFs.
/// </summary>
public sealed class DocumentTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    public static TheoryData<string, string> ValidDocuments => new()
    {
        { "ES", "12345678Z" },
        { "ES", "00000000T" },
        { "ES", "99999999R" },
        { "ES", "X1234567L" },
        { "ES", "Y1234567X" },
        { "ES", "Z1234567R" },
        { "ES", " 12.345.678-z " },
        { "PT", "123456789" },
        { "PT", "999999990" },
        { "PT", "501964843" },
        { "PT", "500100144" },
        { "PT", "212 345 672" },
        { "IT", "RSSMRA85T10A562S" },
        { "IT", "MRTMTT25D09F205Z" },
        { "IT", "VRDGPP13R10B293P" },
        { "IT", "BNCLRA80A41H501D" },
        { "IT", "RSSMRA85T10A56NH" },
        { "IT", "rssmra8rt1la562h" },
        { "MX", "HEGG560427MVZRRL04" },
        { "MX", "LOOA531113HTCPBN07" },
        { "MX", "MAHJ280603MSPRRV09" },
        { "MX", "MOCA000229MJCRRLA8" },
        { "MX", "GARC050101HDFRRNA1" },
        { "MX", "PEGJ850101HDFRRN08" },
        { "CO", "1020304050" },
        { "CO", "123456" },
        { "CO", "79.123.456" },
        { "CO", "52123456" },
        { "CO", "1000000001" },
        { "BR", "529.982.247-25" },
        { "BR", "111.444.777-35" },
        { "BR", "12345678909" },
        { "BR", "935.411.347-80" },
        { "BR", "168.995.350-09" },
    };

    public static TheoryData<string, string, DocumentProblem> InvalidDocuments => new()
    {
        { "ES", "12345678A", DocumentProblem.CheckDigit },
        { "ES", "X1234567T", DocumentProblem.CheckDigit },
        { "ES", "1234567Z", DocumentProblem.Length },
        { "ES", "123456789Z", DocumentProblem.Length },
        { "ES", "1234567AZ", DocumentProblem.Characters },
        { "ES", "W1234567L", DocumentProblem.Characters },
        { "ES", "", DocumentProblem.Empty },
        { "PT", "123456780", DocumentProblem.CheckDigit },
        { "PT", "999999991", DocumentProblem.CheckDigit },
        { "PT", "12345678", DocumentProblem.Length },
        { "PT", "1234567890", DocumentProblem.Length },
        { "PT", "12345678X", DocumentProblem.Characters },
        { "IT", "RSSMRA85T10A562T", DocumentProblem.CheckDigit },
        { "IT", "RSSMRA85T10A562", DocumentProblem.Length },
        { "IT", "RSSMRA85T10A562SX", DocumentProblem.Length },
        { "IT", "RSSMR185T10A562S", DocumentProblem.Characters },
        { "IT", "RSSMRA85T10A5A2S", DocumentProblem.Characters },
        { "IT", "RSSMRA85T32A562S", DocumentProblem.Date },
        { "IT", "RSSMRA85B30A562S", DocumentProblem.Date },
        { "IT", "RSSMRA85Z10A562S", DocumentProblem.Date },
        { "MX", "HEGG560427MVZRRL05", DocumentProblem.CheckDigit },
        { "MX", "HEGG560427MVZRRL0", DocumentProblem.Length },
        { "MX", "HEGG560427MVZRRL041", DocumentProblem.Length },
        { "MX", "HEGG56O427MVZRRL04", DocumentProblem.Characters },
        { "MX", "HEGG560427XVZRRL04", DocumentProblem.Characters },
        { "MX", "HEGG560230MVZRRL04", DocumentProblem.Date },
        { "MX", "HEGG561327MVZRRL04", DocumentProblem.Date },
        { "MX", "HEGG560427MXXRRL04", DocumentProblem.Region },
        { "MX", "SAPL090615MDFNRRB9", DocumentProblem.Age },
        { "MX", "BADD110313HCMLNSA6", DocumentProblem.Age },
        { "CO", "012345", DocumentProblem.Characters },
        { "CO", "12345", DocumentProblem.Length },
        { "CO", "12345678901", DocumentProblem.Length },
        { "CO", "12345A", DocumentProblem.Characters },
        { "CO", "   ", DocumentProblem.Empty },
        { "BR", "529.982.247-24", DocumentProblem.CheckDigit },
        { "BR", "529.982.247-15", DocumentProblem.CheckDigit },
        { "BR", "111.111.111-11", DocumentProblem.CheckDigit },
        { "BR", "5299822472", DocumentProblem.Length },
        { "BR", "529982247250", DocumentProblem.Length },
        { "BR", "529.982.247-2X", DocumentProblem.Characters },
    };

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Accepts_valid_identity_documents(string country, string document)
    {
        var check = CountryRegistry.Get(country).Document.Validate(document, Today);

        Assert.True(check.IsValid, $"{country} {document}: {check.Message}");
        Assert.Null(check.Message);
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Refuses_invalid_identity_documents_naming_the_part_that_is_wrong(string country, string document, DocumentProblem problem)
    {
        var check = CountryRegistry.Get(country).Document.Validate(document, Today);

        Assert.False(check.IsValid);
        Assert.Equal(problem, check.Problem);
        Assert.False(string.IsNullOrWhiteSpace(check.Message));
    }

    [Fact]
    public void Normalisation_trims_upper_cases_and_drops_spaces_dots_and_dashes()
    {
        Assert.Equal("X1234567L", DocumentText.Normalize("  x-1234.567 l "));
        Assert.Equal("", DocumentText.Normalize(null));
    }

    [Fact]
    public void A_normalised_document_is_returned_with_a_valid_check()
    {
        var check = CountryRegistry.Get("BR").Document.Validate(" 529.982.247-25 ", Today);

        Assert.Equal("52998224725", check.Normalized);
    }

    [Fact]
    public void A_CURP_holder_turns_18_on_the_day_of_their_18th_birthday()
    {
        var mexico = CountryRegistry.Get("MX").Document;

        Assert.True(mexico.Validate("GOCJ080101HNLNRNA7", new DateOnly(2026, 1, 1)).IsValid);
        Assert.Equal(DocumentProblem.Age, mexico.Validate("GOCJ080101HNLNRNA7", new DateOnly(2025, 12, 31)).Problem);
    }

    [Fact]
    public void A_CURP_homoclave_digit_means_born_before_2000_so_the_same_date_with_a_digit_is_an_adult()
    {
        var mexico = CountryRegistry.Get("MX").Document;

        Assert.True(mexico.Validate("HEGG560427MVZRRL04", Today).IsValid);
        Assert.Equal(DocumentProblem.Age, mexico.Validate("BADD110313HCMLNSA6", Today).Problem);
    }

    [Fact]
    public void Masking_shows_only_the_last_four_characters() =>
        Assert.Equal("****678Z", DocumentText.Mask("12345678Z"));
}
