using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Decisions;

/// <summary>
/// What decided an application: a country's rules (thresholds included) and the loan product that priced it, each
/// identified by a hash of its content, and <see cref="Hash"/> of both. Equal content, equal version; change one
/// threshold, one rate or one band and the version changes — so a recorded decision names exactly the policy it used.
/// </summary>
public sealed record PolicyVersion(ICountryPolicy Rules, LoanProduct Product)
{
    /// <summary>
    /// Bumped by hand when a rule's logic changes without any threshold changing (a new formula, a rule that reads a
    /// different input): thresholds and the risk score's answers are hashed, code is not.
    /// </summary>
    public const int EngineRevision = 1;

    private static readonly ConcurrentDictionary<ICountryPolicy, string> RulesVersions = new(ReferenceEqualityComparer.Instance);

    public string Country => Rules.Code;

    public string RulesVersion => RulesVersions.GetOrAdd(Rules, policy => HashOf(RulesContent(policy)));

    // Each is a SHA-256 the decision path reads several times (record, columns): worked out once per instance.
    private string? productVersion;
    private string? hash;

    public string ProductVersion => productVersion ??= Product.Version;

    /// <summary>The version a decision records: 16 hex digits of SHA-256 over the country, the rules' version and the product's.</summary>
    public string Hash => hash ??= HashOf($"{Country}|{RulesVersion}|{ProductVersion}")[..16];

    /// <summary>The country's rules with the product in its own file (the one before any admin changed it).</summary>
    public static PolicyVersion Default(ICountryPolicy policy) => new(policy, policy.Product);

    /// <summary>
    /// The rules as data: every rule's name, severity, comparison and threshold, evaluated on fixed reference cases
    /// (a threshold that scales with income shows as its value at the reference income), plus the risk score's answers
    /// on the same cases and <see cref="EngineRevision"/>.
    /// </summary>
    public static string RulesContent(ICountryPolicy policy)
    {
        var content = new StringBuilder().Append(CultureInfo.InvariantCulture, $"engine:{EngineRevision}|{policy.Code}");
        foreach (var assessment in ReferenceCases)
        {
            foreach (var rule in DecisionEngine.Evaluate(policy, assessment))
            {
                content.Append(CultureInfo.InvariantCulture, $"|{rule.Name}:{rule.Severity}:{rule.FailsWhen}:{rule.Threshold}");
            }
            content.Append(CultureInfo.InvariantCulture, $"|risk:{RiskScore.Calculate(assessment)}");
        }
        return content.ToString();
    }

    private static readonly Assessment[] ReferenceCases =
    [
        new(new LoanRequest(10_000m, 2_500m, 24, MonthlyPayment: 460m), new BureauReport("reference", 700, 5_000m, 300m, false, 2_400m)),
        new(new LoanRequest(60_000m, 1_200m, 60, MonthlyPayment: 1_250m), new BureauReport("reference", 480, 40_000m, 900m, true, null)),
    ];

    private static string HashOf(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
