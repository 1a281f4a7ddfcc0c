using CreditDesk.Domain.Decisions;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class LoanRequestTests
{
    [Fact]
    public void Estimated_payment_is_amount_over_term_rounded_to_cents() =>
        Assert.Equal(277.78m, new LoanRequest(10_000m, 2_000m, 36).EstimatedMonthlyPayment);

    [Fact]
    public void Debt_to_income_adds_bureau_obligations_to_the_estimated_payment()
    {
        var request = new LoanRequest(12_000m, 3_000m, 12);

        Assert.Equal(0.5m, request.DebtToIncome(500m));
        Assert.Equal(1_000m / 3_000m, request.PaymentToIncome);
    }

    [Fact]
    public void Annual_income_is_twelve_months() =>
        Assert.Equal(30_000.12m, new LoanRequest(1m, 2_500.01m, 6).AnnualIncome);
}
