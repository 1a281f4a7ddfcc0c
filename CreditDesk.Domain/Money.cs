namespace CreditDesk.Domain;

/// <summary>An amount in one currency. Always decimal, always two decimals once rounded for display or storage.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public const int Decimals = 2;

    public static decimal RoundToCents(decimal amount) => Math.Round(amount, Decimals, MidpointRounding.AwayFromZero);

    public override string ToString() => $"{Amount:0.00} {Currency}";
}
