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

    public static async Task<Guid> SubmitAsync(this ApplicationSubmission submission, ApplicationForm form)
    {
        var result = await submission.SubmitAsync(form, "test", applicantUserId: null, CancellationToken.None);
        return Assert.IsType<SubmissionResult.Created>(result).Id;
    }
}
