namespace CreditDesk.Domain.Pricing;

/// <summary>One monthly instalment: what is paid, how much of it is interest and principal, and what is still owed after it.</summary>
public sealed record Instalment(int Number, decimal Payment, decimal Interest, decimal Principal, decimal Balance);

/// <summary>The French annuity, monthly, in decimal: P·i / (1 − (1 + i)^−n) with i the nominal annual rate / 12.</summary>
public static class Amortisation
{
    /// <summary>The instalment, rounded to cents (the schedule's last one absorbs the rounding).</summary>
    public static decimal Payment(decimal amount, decimal nominalAnnualRate, int termMonths)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(termMonths);
        if (nominalAnnualRate == 0m)
        {
            return Money.RoundToCents(amount / termMonths);
        }
        var monthly = nominalAnnualRate / 12m;
        var growth = 1m;
        for (var month = 0; month < termMonths; month++)
        {
            growth *= 1m + monthly;
        }
        return Money.RoundToCents(amount * monthly / (1m - 1m / growth));
    }

    /// <summary>Month by month: interest on what is owed (to the cent), the rest of the payment repays principal; the last instalment clears the balance.</summary>
    public static IReadOnlyList<Instalment> Schedule(decimal amount, decimal nominalAnnualRate, int termMonths)
    {
        var payment = Payment(amount, nominalAnnualRate, termMonths);
        var monthly = nominalAnnualRate / 12m;
        var balance = amount;
        var schedule = new List<Instalment>(termMonths);
        for (var number = 1; number <= termMonths; number++)
        {
            var interest = Money.RoundToCents(balance * monthly);
            var principal = number == termMonths ? balance : payment - interest;
            balance -= principal;
            schedule.Add(new Instalment(number, interest + principal, interest, principal, balance));
        }
        return schedule;
    }
}
