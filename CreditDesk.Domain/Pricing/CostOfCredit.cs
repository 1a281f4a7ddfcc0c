namespace CreditDesk.Domain.Pricing;

/// <summary>
/// The annual rate X that makes what the borrower receives equal, in present value, to what they pay back:
/// Σ C_k (1 + X)^−t_k = Σ D_l (1 + X)^−s_l, with times in years (EU Directive 2023/2225 and 2008/48/EC, Annex I;
/// Banxico's CAT and the CMN's CET use the same equation with their own cost items). Monthly instalments fall at
/// l/12 years ("12 equal months"); what is paid at the start (fees, IOF) is taken off what is received.
/// Solved by Newton's method (a few steps; bisection if it ever strays) in double precision — rates, not money:
/// decimal has no fractional powers — to 1e-12, far below the 0.01 percentage points the result is shown with.
/// </summary>
public static class CostOfCredit
{
    /// <summary>The annual rate for <paramref name="received"/> now and one <paramref name="payments"/> each month after.</summary>
    public static decimal AnnualRate(decimal received, IReadOnlyList<decimal> payments) =>
        AnnualRate(received, payments.Select((payment, index) => (payment, (index + 1) / 12d)).ToList());

    /// <summary>The annual rate for <paramref name="received"/> at time 0 and payments at any times (in years).</summary>
    public static decimal AnnualRate(decimal received, IReadOnlyList<(decimal Amount, double Years)> payments)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(received);
        var owed = (double)received;
        double PresentValue(double rate) => payments.Sum(payment => (double)payment.Amount * Math.Pow(1 + rate, -payment.Years));
        double Slope(double rate) => payments.Sum(payment => -payment.Years * (double)payment.Amount * Math.Pow(1 + rate, -payment.Years - 1));
        var x = 0.1;
        for (var step = 0; step < 50; step++)
        {
            var next = x - (PresentValue(x) - owed) / Slope(x);
            if (double.IsNaN(next) || next <= -0.99)
            {
                break;
            }
            if (Math.Abs(next - x) < 1e-12)
            {
                return Math.Round((decimal)next, 8);
            }
            x = next;
        }
        // Present value falls as the rate rises: bisect where it meets what was received.
        double low = -0.99, high = 1.0;
        while (PresentValue(high) > owed && high < 1e6)
        {
            high *= 2;
        }
        for (var step = 0; step < 200 && high - low > 1e-12; step++)
        {
            var middle = (low + high) / 2;
            if (PresentValue(middle) > owed)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return Math.Round((decimal)((low + high) / 2), 8);
    }
}
