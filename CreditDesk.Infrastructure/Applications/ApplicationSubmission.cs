using CreditDesk.Infrastructure.Events;
using System.Diagnostics;
using FluentValidation;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Documents;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Infrastructure.Telemetry;
using CreditDesk.Domain.Texts;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>The outcome of a submission.</summary>
public abstract record SubmissionResult
{
    public sealed record Created(Guid Id, string Reference, ApplicationStatus Status, DateTimeOffset CreatedAt) : SubmissionResult;

    /// <summary>What is wrong, by field: <see cref="Errors"/> in English for the API, <see cref="Problems"/> for a screen's language.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, Wording> Problems) : SubmissionResult
    {
        public IReadOnlyDictionary<string, string[]> Errors => Problems.ToDictionary(problem => problem.Key, problem => new[] { problem.Value.Text });
    }

    /// <summary>The same person already has an application in this country that is not final.</summary>
    public sealed record Duplicate : SubmissionResult;
}

/// <summary>
/// Accepts a credit application: validates it with the Domain's rules, encrypts the personal data, and writes the
/// application, its audit row and its outbox row in one transaction (one round trip, no NOTIFY in it). Nothing is
/// published before the commit: then this node's screens and drain hear it at once and the others with the next batch
/// (<see cref="LiveEvents"/>).
/// </summary>
public sealed class ApplicationSubmission(
    NpgsqlDataSource dataSource,
    IValidator<ApplicationForm> validator,
    PiiCipher cipher,
    LiveEvents live,
    LoanCatalogue catalogue,
    TimeProvider clock)
{
    private const string OneActivePerPerson = "ux_credit_applications_one_active_per_person";

    public async Task<SubmissionResult> SubmitAsync(ApplicationForm form, string submittedBy, string? applicantUserId, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            return new SubmissionResult.Invalid(ApplicationFormValidator.ToWordings(validation));
        }

        var policy = CountryRegistry.Get(form.Country);
        // The product in effect prices it (recorded with it, so the decision uses the terms the applicant was shown) and
        // bounds what may be asked for.
        var product = await catalogue.CurrentAsync(policy.Code, cancellationToken);
        if (ProductLimits(product, form.Amount!.Value, form.TermMonths!.Value) is { Count: > 0 } outside)
        {
            return new SubmissionResult.Invalid(outside);
        }
        // Started before the insert so the outbox row carries this span as the parent of the processing that follows.
        using var activity = CreditDeskTelemetry.Source.StartActivity("application.submit");
        activity?.SetTag("creditdesk.country", policy.Code);
        // The validator has already checked the document; only its normalised form is needed here.
        var document = DocumentText.Normalize(form.Document);
        var fullName = form.FullName!.Trim();
        var name = cipher.Encrypt(fullName);
        var encryptedDocument = cipher.Encrypt(document);
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var pending = ApplicationStatus.Pending.ToCode();

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("""
            INSERT INTO credit_applications (id, reference, country, currency, status, requested_amount, monthly_income, term_months,
                full_name_cipher, document_cipher, pii_key_id, document_hash, applicant_user_id, created_at, updated_at, product_version)
            VALUES (@id, @reference_prefix || lpad(nextval('application_reference_seq')::text, 6, '0'), @country, @currency, @status,
                @amount, @income, @term, @name, @document, @key, @hash, @user, @now, @now, @product)
            RETURNING reference
            """,
            ("id", id), ("reference_prefix", ApplicationReference.Prefix(policy.Code, now)), ("country", policy.Code), ("currency", policy.Currency), ("status", pending),
            ("amount", Domain.Money.RoundToCents(form.Amount!.Value)), ("income", Domain.Money.RoundToCents(form.MonthlyIncome!.Value)),
            ("term", form.TermMonths!.Value), ("name", name.Data), ("document", encryptedDocument.Data), ("key", name.KeyId),
            ("hash", cipher.DocumentHash(policy.Code, document)), ("user", (object?)applicantUserId ?? DBNull.Value), ("now", now),
            ("product", product.Version)));
        batch.BatchCommands.Add(Command("""
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at)
            VALUES (@id, NULL, @status, 'applicant', @by, 'Application submitted', @now)
            """, ("id", id), ("status", pending), ("by", submittedBy), ("now", now)));
        batch.BatchCommands.Add(Command("""
            INSERT INTO application_outbox (application_id, available_at, trace_parent, created_at)
            VALUES (@id, @now, @trace, @now)
            """, ("id", id), ("now", now), ("trace", (object?)Activity.Current?.Id ?? DBNull.Value)));
        string reference;
        try
        {
            // A batch without an explicit transaction runs as one implicit transaction: all three rows or none.
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            reference = reader.GetString(0);
        }
        catch (PostgresException exception) when (exception is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: OneActivePerPerson })
        {
            activity?.SetTag("creditdesk.outcome", "duplicate");
            return new SubmissionResult.Duplicate();
        }
        activity?.SetTag("creditdesk.application_id", id);
        CreditDeskTelemetry.ApplicationsCreated.Add(1, new KeyValuePair<string, object?>("country", policy.Code));
        live.Submitted(new ApplicationChanged(id, policy.Code, pending, null, now));
        return new SubmissionResult.Created(id, reference, ApplicationStatus.Pending, now);
    }

    /// <summary>The product's amounts and terms: outside them there is no loan to price (by field, like the form's own errors).</summary>
    public static Dictionary<string, Wording> ProductLimits(Domain.Pricing.LoanProduct product, decimal amount, int termMonths)
    {
        var problems = new Dictionary<string, Wording>();
        if (amount < product.MinAmount || amount > product.MaxAmount)
        {
            problems[ApplicationFormRules.Fields.Amount] = new Wording("Form.Amount.ProductRange", product.MinAmount, product.MaxAmount, product.Currency);
        }
        if (termMonths < product.MinTermMonths || termMonths > product.MaxTermMonths)
        {
            problems[ApplicationFormRules.Fields.TermMonths] = new Wording("Form.Term.ProductRange", product.MinTermMonths, product.MaxTermMonths);
        }
        return problems;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
