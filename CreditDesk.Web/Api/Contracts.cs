using System.Globalization;
using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Applications;
using Fields = CreditDesk.Domain.Applications.ApplicationFormRules.Fields;

namespace CreditDesk.Web.Api;

/// <summary>Money on the wire: a decimal string with two decimals ("15000.00"), never a float.</summary>
public static class WireMoney
{
    public static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Accepts a JSON string ("15000.00") or number (15000); refuses exponents, thousands separators, non-numbers and
    /// strings with more than two decimals ("15.000" is not quietly fifteen).
    /// </summary>
    public static bool TryRead(JsonElement element, out decimal amount)
    {
        amount = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetDecimal(out amount),
            JsonValueKind.String => decimal.TryParse(element.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out amount) && amount.Scale <= Domain.Money.Decimals,
            _ => false,
        };
    }
}

public sealed record ApplicationResponse(
    Guid Id, string Reference, string Country, string Currency, string Status, string Amount, string MonthlyIncome, int TermMonths,
    string EstimatedMonthlyPayment, int? RiskScore, DateTime CreatedAt, DateTime UpdatedAt, DateTime? DecidedAt,
    string? FullName = null, string? Document = null, bool? DocumentMasked = null,
    IReadOnlyList<RuleResponse>? Rules = null, BureauResponse? Bureau = null, string? AssignedTo = null,
    IReadOnlyList<ReasonResponse>? Reasons = null, string? HumanReview = null,
    string? AnnualInterestRate = null, string? MonthlyPayment = null, string? TotalRepayable = null, string? Apr = null, string? AprName = null,
    string? OpeningFee = null)
{
    /// <summary>The application as the API says it, priced once (the quote's payment is the estimated payment).</summary>
    public static ApplicationResponse From(ApplicationSummary s)
    {
        var quote = s.Quote;
        return Priced(new(
            s.Id, s.Reference, s.Country, s.Currency, s.Status, WireMoney.Format(s.Amount), WireMoney.Format(s.MonthlyIncome), s.TermMonths,
            WireMoney.Format(quote?.MonthlyPayment ?? s.EstimatedMonthlyPayment), s.RiskScore, s.CreatedAt.UtcDateTime, s.UpdatedAt.UtcDateTime,
            s.DecidedAt?.UtcDateTime, AssignedTo: s.AssignedTo), quote);
    }

    /// <summary>The price: rates as percentages with two decimals ("9.95"), money as decimal strings; <c>apr</c> is the country's cost figure (<c>apr_name</c>).</summary>
    private static ApplicationResponse Priced(ApplicationResponse response, Domain.Pricing.LoanQuote? quote) => quote is null ? response : response with
    {
        AnnualInterestRate = WireMoney.Format(quote.AnnualInterestPercent),
        MonthlyPayment = WireMoney.Format(quote.MonthlyPayment),
        TotalRepayable = WireMoney.Format(quote.TotalRepayable),
        Apr = WireMoney.Format(quote.CostFigurePercent),
        AprName = quote.Product.Figure.ToString().ToUpperInvariant() switch
        {
            "EFFECTIVEANNUALRATE" => "TASA_EFECTIVA_ANUAL",
            var name => name,
        },
        OpeningFee = WireMoney.Format(quote.OpeningFee + quote.Taxes),
    };

    public static ApplicationResponse From(ApplicationDetail d) => From(d.Summary) with
    {
        FullName = d.FullName,
        Document = d.Document,
        DocumentMasked = d.DocumentMasked,
        Rules = d.Rules.Select(RuleResponse.From).ToList(),
        Bureau = d.Bureau is { } b
            ? new BureauResponse(b.Provider, b.Score, WireMoney.Format(b.TotalDebt), WireMoney.Format(b.MonthlyObligations), b.HasActiveDefaults,
                b.ReportedMonthlyIncome is { } income ? WireMoney.Format(income) : null, b.IsFallback)
            : null,
    };
}

/// <summary>What an applicant's own application looks like over the API: no risk score, rules or bureau data.</summary>
public static class ApplicantResponses
{
    public static ApplicationResponse Application(ApplicationSummary summary) => ApplicationResponse.From(summary with { RiskScore = null, AssignedTo = null });

    /// <summary>An applicant's own application; rejected or under review, with the principal reasons in plain words (never thresholds).</summary>
    public static ApplicationResponse Application(ApplicationDetail detail)
    {
        var reasons = ApplicantView.ReasonsFor(detail.Summary.Status, detail.Rules);
        return Application(detail.Summary) with
        {
            FullName = detail.FullName,
            Document = Domain.Documents.DocumentText.Mask(detail.Document),
            DocumentMasked = true,
            Reasons = reasons.Count > 0 ? reasons.Select(key => new ReasonResponse(key["Reason.".Length..], Localization.DeskText.English(key))).ToList() : null,
            HumanReview = ApplicantView.HumanReviewFor(detail.Summary.Status) is { } humanReview
                ? Localization.DeskText.English(humanReview == "Applicant.HumanReview" ? "Applicant.HumanReviewApi" : humanReview)
                : null,
        };
    }

    /// <summary>The history by role, in plain words: no staff or node ids, no staff reasons.</summary>
    public static IReadOnlyList<ApplicantAuditResponse> Audit(IReadOnlyList<AuditEntry> audit) =>
        ApplicantView.HistoryOf(audit).Select(step => new ApplicantAuditResponse(step.OccurredAt.UtcDateTime, step.Status, Localization.DeskText.English(step.Who), Localization.DeskText.English(step.What))).ToList();
}

/// <summary>One principal reason for an adverse decision: a stable code and its plain-language text.</summary>
public sealed record ReasonResponse(string Code, string Text);

public sealed record ApplicantAuditResponse(DateTime OccurredAt, string ToStatus, string By, string What);

public sealed record RuleResponse(string Name, string Severity, string Outcome, decimal? Observed, string FailsWhen, decimal Threshold, string Description)
{
    public static RuleResponse From(RuleResult r) => new(
        r.Name, r.Severity.ToString().ToUpperInvariant(), r.Outcome switch
        {
            RuleOutcome.Passed => "PASSED",
            RuleOutcome.Failed => "FAILED",
            _ => "NOT_ASSESSED",
        },
        r.Observed, r.FailsWhen switch
        {
            Domain.Decisions.FailsWhen.Below => "<",
            Domain.Decisions.FailsWhen.AtLeast => ">=",
            Domain.Decisions.FailsWhen.Above => ">",
            _ => "=",
        },
        r.Threshold, r.Description);
}

public sealed record BureauResponse(
    string Provider, int Score, string TotalDebt, string MonthlyObligations, bool HasActiveDefaults, string? ReportedMonthlyIncome, bool IsFallback);

public sealed record ApplicationListResponse(
    IReadOnlyList<ApplicationResponse> Items,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? NextCursor);

public sealed record AuditResponse(DateTime OccurredAt, string? FromStatus, string ToStatus, string Actor, string ActorId, string? Reason, string? ProposedBy)
{
    public static AuditResponse From(AuditEntry e) => new(e.OccurredAt.UtcDateTime, e.FromStatus, e.ToStatus, e.Actor, e.ActorId, e.Reason, e.ProposedBy);
}

/// <summary>Reads a create request by hand so a wrong type is a field error (422), and only unreadable JSON is a 400.</summary>
public static class ApplicationRequest
{
    public static (ApplicationForm? Form, IReadOnlyDictionary<string, string[]>? Errors, string? Malformed) Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, JsonBody.Options);
        }
        catch (JsonException)
        {
            return (null, null, "The body is not valid JSON (or repeats a key).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, "The body must be a JSON object.");
            }
            var root = document.RootElement;
            var errors = new Dictionary<string, string[]>();
            string? Text(string field)
            {
                switch (root.ReadText(field, out var text))
                {
                    case TextRead.NotAString:
                        errors[field] = ["Must be a string."];
                        break;
                    case TextRead.Unreadable:
                        errors[field] = [JsonBody.UnreadableText];
                        break;
                }
                return text;
            }
            decimal? Money(string field)
            {
                if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }
                if (WireMoney.TryRead(value, out var amount))
                {
                    return amount;
                }
                errors[field] = ["Must be a decimal amount such as \"15000.00\"."];
                return null;
            }
            int? Term()
            {
                if (!root.TryGetProperty(Fields.TermMonths, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return ApplicationFormRules.DefaultTermMonths;
                }
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var months))
                {
                    return months;
                }
                errors[Fields.TermMonths] = ["Must be a whole number of months."];
                return null;
            }
            var form = new ApplicationForm(Text(Fields.Country), Text(Fields.FullName), Text(Fields.Document),
                Money(Fields.Amount), Money(Fields.MonthlyIncome), Term());
            return (form, errors.Count > 0 ? errors : null, null);
        }
    }
}

/// <summary><c>GET /api/v1/applications/{id}/schedule</c>: the repayment schedule at the country's loan terms.</summary>
public sealed record ScheduleResponse(
    Guid ApplicationId, string Currency, string AnnualInterestRate, string MonthlyPayment, string TotalRepayable, string Apr, string ProductVersion,
    IReadOnlyList<InstalmentResponse> Instalments)
{
    public static ScheduleResponse From(ApplicationSummary summary, Domain.Pricing.LoanQuote quote) => new(
        summary.Id, summary.Currency, WireMoney.Format(quote.AnnualInterestPercent), WireMoney.Format(quote.MonthlyPayment),
        WireMoney.Format(quote.TotalRepayable), WireMoney.Format(quote.CostFigurePercent), quote.Product.Version,
        quote.Schedule.Select(i => new InstalmentResponse(i.Number, WireMoney.Format(i.Payment), WireMoney.Format(i.Interest), WireMoney.Format(i.Principal),
            WireMoney.Format(i.Balance))).ToList());
}

public sealed record InstalmentResponse(int Number, string Payment, string Interest, string Principal, string Balance);
