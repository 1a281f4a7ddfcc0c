using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>Intake with processing switched off, so applications stay where the test puts them.</summary>
public sealed class IntakeTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> NoProcessing = new() { ["Processing:Enabled"] = "false" };
    private readonly PostgresDatabase database = new();
    private PipelineHost node = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        node = await PipelineHost.StartAsync(database.ConnectionString, NoProcessing);
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Application_audit_and_outbox_rows_are_written_together()
    {
        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());

        Assert.Equal("PENDING", await database.StatusAsync(id));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id = '{id}'"));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM application_outbox WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task An_invalid_application_is_refused_with_field_errors_and_writes_nothing()
    {
        var form = ApplicationTestData.Colombian() with { Document = "0123", Amount = -5m };

        var result = await node.Get<ApplicationSubmission>().SubmitAsync(form, "test", null, CancellationToken.None);

        var invalid = Assert.IsType<SubmissionResult.Invalid>(result);
        Assert.Equal(["amount", "document"], invalid.Errors.Keys.Order());
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    [Fact]
    public async Task A_second_active_application_for_the_same_person_and_country_is_refused_until_the_first_is_final()
    {
        var submission = node.Get<ApplicationSubmission>();
        var document = ApplicationTestData.NextCedula();
        var first = await submission.SubmitAsync(ApplicationTestData.Colombian(document));

        var duplicate = await submission.SubmitAsync(ApplicationTestData.Colombian(document) with { FullName = "Someone Else" }, "test", null, CancellationToken.None);
        Assert.IsType<SubmissionResult.Duplicate>(duplicate);

        var cancelled = await node.Get<StatusChanges>().ChangeAsync(first, ApplicationStatus.Cancelled, Actor.Admin, "admin", "Applicant asked", CancellationToken.None);
        Assert.IsType<StatusChangeResult.Changed>(cancelled);

        var again = await submission.SubmitAsync(ApplicationTestData.Colombian(document), "test", null, CancellationToken.None);
        Assert.IsType<SubmissionResult.Created>(again);
    }

    [Fact]
    public async Task The_same_document_may_apply_in_another_country()
    {
        var submission = node.Get<ApplicationSubmission>();
        await submission.SubmitAsync(new ApplicationForm("ES", "Ana Pérez", "12345678Z", 1_000m, 2_000m, 12));

        var otherCountry = await submission.SubmitAsync(new ApplicationForm("PT", "Ana Pérez", "123456789", 1_000m, 2_000m, 12), "test", null, CancellationToken.None);

        Assert.IsType<SubmissionResult.Created>(otherCountry);
    }

    [Fact]
    public async Task Of_50_concurrent_status_changes_to_one_application_exactly_one_succeeds()
    {
        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        await database.ExecuteAsync($"UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{id}'");
        var changes = node.Get<StatusChanges>();
        using var start = new SemaphoreSlim(0);

        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            var target = i % 2 == 0 ? ApplicationStatus.Approved : ApplicationStatus.Rejected;
            return await changes.ChangeAsync(id, target, Actor.Admin, $"admin-{i}", "Reviewed", CancellationToken.None);
        })).ToList();
        start.Release(50);
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results.OfType<StatusChangeResult.Changed>());
        Assert.All(results.Where(r => r is not StatusChangeResult.Changed),
            r => Assert.True(r is StatusChangeResult.Conflict or StatusChangeResult.Refused { Error.Code: "invalid_transition" }, r.ToString()));
        Assert.Equal(winner.To.ToCode(), await database.StatusAsync(id));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id = '{id}' AND actor = 'admin'"));
    }

    [Fact]
    public async Task Key_rotation_re_encrypts_existing_rows_and_old_and_new_rows_both_read_back()
    {
        var oldName = "Beatriz Key-One";
        await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian() with { FullName = oldName });
        var rotatedSettings = new Dictionary<string, string?>(NoProcessing)
        {
            ["Pii:ActiveKeyId"] = "k2",
            ["Pii:Keys:k2"] = InfrastructureServices.TestKey2,
        };
        await using var rotated = await PipelineHost.StartAsync(database.ConnectionString, rotatedSettings);
        var newName = "Carlos Key-Two";
        await rotated.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian() with { FullName = newName });
        Assert.Equal(["k1", "k2"], await KeyIdsAsync());
        Assert.Equal([oldName, newName], await NamesAsync(rotated.Get<PiiCipher>()));

        var count = await rotated.Get<PiiKeyRotation>().RotateAsync(batchSize: 1, CancellationToken.None);

        Assert.Equal(1, count);
        Assert.Equal(["k2", "k2"], await KeyIdsAsync());
        Assert.Equal([oldName, newName], await NamesAsync(rotated.Get<PiiCipher>()));
    }

    [Fact]
    public async Task Notes_document_requests_and_files_are_ciphertext_in_a_pg_dump_and_key_rotation_re_encrypts_them_too()
    {
        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian() with { FullName = "Dumpy Plaintextson" });
        var officer = new CreditDesk.Infrastructure.Access.Caller("officer-1", CreditDesk.Infrastructure.Access.Roles.Officer);
        await node.Get<ReviewWork>().AddNoteAsync(id, officer, "Called the employer: salary-note-marker confirmed", CancellationToken.None);
        await node.Get<SupportingDocuments>().RequestAsync(id, officer, "payslip", "request-marker: the October payslip", CancellationToken.None);
        var file = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n% file-content-marker net salary\n%%EOF\n");
        Assert.IsType<UploadResult.Stored>(await node.Get<SupportingDocuments>().UploadAsync(id, officer, "payslip", file, CancellationToken.None));

        var dump = await PgDumpAsync();

        Assert.Contains("application_documents", dump, StringComparison.Ordinal);
        foreach (var marker in new[] { "Dumpy", "salary-note-marker", "request-marker", "file-content-marker", "%PDF" })
        {
            Assert.DoesNotContain(marker, dump, StringComparison.Ordinal);
        }

        var rotatedSettings = new Dictionary<string, string?>(NoProcessing) { ["Pii:ActiveKeyId"] = "k2", ["Pii:Keys:k2"] = InfrastructureServices.TestKey2 };
        await using var rotated = await PipelineHost.StartAsync(database.ConnectionString, rotatedSettings);
        var count = await rotated.Get<PiiKeyRotation>().RotateAsync(batchSize: 10, CancellationToken.None);

        Assert.Equal(4, count);
        Assert.Equal(["k2", "k2", "k2"], await database.ListAsync(
            "SELECT pii_key_id FROM application_notes UNION ALL SELECT pii_key_id FROM document_requests UNION ALL SELECT pii_key_id FROM application_documents",
            r => r.GetString(0)));
        Assert.Equal("Called the employer: salary-note-marker confirmed", Assert.Single(await rotated.Get<ReviewWork>().NotesAsync(id, CancellationToken.None)).Text);
        var documents = rotated.Get<SupportingDocuments>();
        var stored = Assert.Single((await documents.ListAsync(id, officer, CancellationToken.None))!);
        Assert.Equal(file, (await documents.ReadAsync(id, stored.Id, officer, CancellationToken.None))!.Bytes);
        Assert.Equal("request-marker: the October payslip", Assert.Single((await documents.RequestsAsync(id, officer, CancellationToken.None))!).Message);
    }

    [Fact]
    public async Task Webhook_signing_secrets_are_ciphertext_in_a_pg_dump_and_key_rotation_re_encrypts_the_current_and_the_previous_one()
    {
        var endpoints = node.Get<CreditDesk.Infrastructure.Webhooks.Outgoing.WebhookEndpoints>();
        var (endpoint, first) = await endpoints.CreateAsync("https://bank.example/hooks", null, ["application.decided"], null, "admin", CancellationToken.None);
        var (_, second) = (await endpoints.RotateSecretAsync(endpoint.Id, CancellationToken.None))!.Value;

        var dump = await PgDumpAsync();
        Assert.DoesNotContain(first[6..], dump, StringComparison.Ordinal);
        Assert.DoesNotContain(second[6..], dump, StringComparison.Ordinal);

        var rotatedSettings = new Dictionary<string, string?>(NoProcessing) { ["Pii:ActiveKeyId"] = "k2", ["Pii:Keys:k2"] = InfrastructureServices.TestKey2 };
        await using var rotated = await PipelineHost.StartAsync(database.ConnectionString, rotatedSettings);
        Assert.Equal(1, await rotated.Get<PiiKeyRotation>().RotateAsync(batchSize: 10, CancellationToken.None));

        var cipher = rotated.Get<PiiCipher>();
        var secrets = await database.ListAsync("SELECT pii_key_id, secret_cipher, previous_secret_cipher FROM webhook_endpoints",
            r => (r.GetString(0), cipher.Decrypt(r.GetString(0), r.GetFieldValue<byte[]>(1)), cipher.Decrypt(r.GetString(0), r.GetFieldValue<byte[]>(2))));
        Assert.Equal(("k2", second, first), Assert.Single(secrets));
    }

    [Fact]
    public async Task A_banks_contact_and_key_secrets_are_ciphertext_in_a_pg_dump_and_key_rotation_re_encrypts_them()
    {
        var banks = node.Get<CreditDesk.Infrastructure.Banks.BankPartners>();
        var (bank, first) = (await banks.CreateAsync("Banco Cifrado", "ES", "Inés Marín, +34 600 111 222", "admin", CancellationToken.None))!.Value;
        var (_, second) = (await banks.RotateKeyAsync(bank.Id, CancellationToken.None))!.Value;

        var dump = await PgDumpAsync();
        Assert.DoesNotContain("Inés Marín", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Secret[6..], dump, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Secret[6..], dump, StringComparison.Ordinal);

        var rotatedSettings = new Dictionary<string, string?>(NoProcessing) { ["Pii:ActiveKeyId"] = "k2", ["Pii:Keys:k2"] = InfrastructureServices.TestKey2 };
        await using var rotated = await PipelineHost.StartAsync(database.ConnectionString, rotatedSettings);
        Assert.Equal(3, await rotated.Get<PiiKeyRotation>().RotateAsync(batchSize: 10, CancellationToken.None));

        var read = rotated.Get<CreditDesk.Infrastructure.Banks.BankPartners>();
        Assert.Equal("Inés Marín, +34 600 111 222", (await read.FindAsync(bank.Id, CancellationToken.None))!.Contact);
        Assert.Equal(second.Secret, (await read.FindSignerAsync(second.KeyId, CancellationToken.None))!.Secret);
        Assert.Equal(first.Secret, (await read.FindSignerAsync(first.KeyId, CancellationToken.None))!.Secret);
        Assert.Equal(["k2", "k2", "k2"], await database.ListAsync(
            "SELECT pii_key_id FROM banks UNION ALL SELECT pii_key_id FROM bank_keys", r => r.GetString(0)));
    }

    /// <summary>The whole database as <c>pg_dump</c> writes it (data as COPY text, bytea as hex).</summary>
    private async Task<string> PgDumpAsync()
    {
        var pgDump = Directory.GetFiles("/usr/lib/postgresql", "pg_dump", SearchOption.AllDirectories).OrderDescending().FirstOrDefault() ?? "pg_dump";
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new System.Diagnostics.ProcessStartInfo(pgDump)
        {
            ArgumentList = { "--data-only", "--host", builder.Host!, "--port", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", builder.Username!, builder.Database! },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = builder.Password ?? "";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        // bytea is dumped as hex: decode it so a plaintext marker inside a file would show.
        var text = await output;
        return text + System.Text.RegularExpressions.Regex.Replace(text, @"\\x([0-9a-f]+)", match =>
            System.Text.Encoding.Latin1.GetString(Convert.FromHexString(match.Groups[1].Value)));
    }

    private Task<List<string>> KeyIdsAsync() =>
        database.ListAsync("SELECT pii_key_id FROM credit_applications ORDER BY pii_key_id", r => r.GetString(0));

    private async Task<List<string>> NamesAsync(PiiCipher cipher) =>
        (await database.ListAsync("SELECT pii_key_id, full_name_cipher FROM credit_applications",
            r => cipher.Decrypt(r.GetString(0), r.GetFieldValue<byte[]>(1)))).Order().ToList();
}
