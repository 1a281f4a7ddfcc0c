using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Applications;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>Valid applications with distinct documents (Colombian cédulas: any 6–10 digits not starting with 0).</summary>
internal static class ApplicationTestData
{
    private static long next = 1_000_000_000 + Random.Shared.Next(0, 1_000_000) * 1000L;

    public static string NextCedula() => Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ApplicationForm Colombian(string? document = null, decimal amount = 5_000_000m, decimal income = 4_000_000m) =>
        new("CO", "Camila Rodríguez", document ?? NextCedula(), amount, income, 36);

    /// <summary>A Spanish DNI: eight digits and their control letter.</summary>
    public static string NextDni()
    {
        var number = Interlocked.Increment(ref next) % 100_000_000;
        return number.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + "TRWAGMYFPDXBNJZSQVHLCKE"[(int)(number % 23)];
    }

    /// <summary>A Brazilian CPF: nine random digits and their two mod-11 check digits.</summary>
    public static string NextCpf()
    {
        var digits = Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)).ToList();
        for (var length = 9; length < 11; length++)
        {
            var sum = digits.Select((d, i) => d * (length + 1 - i)).Sum();
            var remainder = sum % 11;
            digits.Add(remainder < 2 ? 0 : 11 - remainder);
        }
        return string.Concat(digits);
    }

    public static ApplicationForm Brazilian() => new("BR", "Rafael Lima", NextCpf(), 20_000m, 9_000m, 36);

    public static ApplicationForm Spanish() => new("ES", "Lucía Fernández", NextDni(), 9_000m, 3_200m, 36);

    public static async Task<Guid> SubmitAsync(this ApplicationSubmission submission, ApplicationForm form)
    {
        var result = await submission.SubmitAsync(form, "test", applicantUserId: null, CancellationToken.None);
        return Assert.IsType<SubmissionResult.Created>(result).Id;
    }
}
