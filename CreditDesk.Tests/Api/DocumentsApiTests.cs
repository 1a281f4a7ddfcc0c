using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CreditDesk.Tests.Support;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

/// <summary>Supporting documents through the API: recognised by content, limited, encrypted at rest, downloaded as attachments.</summary>
public sealed class DocumentsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n% Payslip of Documenta Secretaria, net 3 100 EUR\n%%EOF\n");

    private static MultipartFormDataContent Form(string? kind, byte[]? file, string fileName = "payslip.pdf", string contentType = "application/pdf")
    {
        var form = new MultipartFormDataContent();
        if (kind is not null)
        {
            form.Add(new StringContent(kind), "kind");
        }
        if (file is not null)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(content, "file", fileName);
        }
        return form;
    }

    [Fact]
    public async Task An_applicant_uploads_a_PDF_payslip_that_staff_download_as_an_attachment_and_the_database_holds_only_ciphertext()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);
        using var officer = api.Client(OfficerKey);

        using var uploaded = await applicant.PostAsync($"api/v1/applications/{id}/documents", Form("payslip", Pdf));
        var document = await JsonAsync(uploaded);
        var documentId = document.GetProperty("id").GetGuid();
        using var download = await officer.GetAsync($"api/v1/applications/{id}/documents/{documentId}/content");
        using var verified = await officer.PostAsync($"api/v1/applications/{id}/documents/{documentId}/verify", null);
        var listed = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}/documents"));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        Assert.Equal("application/pdf", document.GetProperty("media_type").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NoContent, verified.StatusCode);
        Assert.True(listed[0].GetProperty("verified").GetBoolean());
        var stored = await api.Database.ScalarAsync<string>($"SELECT encode(content_cipher, 'escape') FROM application_documents WHERE id = '{documentId}'");
        Assert.DoesNotContain("%PDF", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Documenta", stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payslip.pdf", "application/pdf")]
    [InlineData("photo.png", "image/png")]
    [InlineData("evil.html", "text/html")]
    public async Task A_file_that_is_not_a_PDF_PNG_or_JPEG_by_content_is_415_whatever_its_name_and_nothing_is_stored(string fileName, string contentType)
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);

        using var response = await applicant.PostAsync($"api/v1/applications/{id}/documents",
            Form("payslip", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), fileName, contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_documents WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task A_file_over_10_MiB_is_413_and_nothing_is_stored()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);
        var big = new byte[10 * 1024 * 1024 + 1];
        Pdf.CopyTo(big, 0);

        using var response = await applicant.PostAsync($"api/v1/applications/{id}/documents", Form("payslip", big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_documents WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task The_twenty_first_document_is_refused()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);
        for (var i = 0; i < 20; i++)
        {
            using var ok = await applicant.PostAsync($"api/v1/applications/{id}/documents", Form("bank_statement", Pdf));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var response = await applicant.PostAsync($"api/v1/applications/{id}/documents", Form("bank_statement", Pdf));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(20L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_documents WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task Another_applicant_reaches_neither_the_upload_nor_the_list_nor_the_content()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var owner = api.Client(ApplicantKey);
        using var other = api.Client(OtherApplicantKey);
        var documentId = (await JsonAsync(await owner.PostAsync($"api/v1/applications/{id}/documents", Form("payslip", Pdf)))).GetProperty("id").GetGuid();

        var answers = new[]
        {
            (await other.PostAsync($"api/v1/applications/{id}/documents", Form("payslip", Pdf))).StatusCode,
            (await other.GetAsync($"api/v1/applications/{id}/documents")).StatusCode,
            (await other.GetAsync($"api/v1/applications/{id}/documents/{documentId}/content")).StatusCode,
        };
        using var verifyByApplicant = await owner.PostAsync($"api/v1/applications/{id}/documents/{documentId}/verify", null);

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.Equal(HttpStatusCode.Forbidden, verifyByApplicant.StatusCode);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_documents WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task An_officer_asks_for_a_payslip_the_applicant_reads_the_request_and_an_upload_of_that_kind_fulfils_it()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var officer = api.Client(OfficerKey);
        using var applicant = api.Client(ApplicantKey);

        using var asked = await officer.PostAsJsonAsync($"api/v1/applications/{id}/document-requests", new { kind = "payslip", message = "Your last three payslips, please" });
        var before = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}/document-requests"));
        await applicant.PostAsync($"api/v1/applications/{id}/documents", Form("payslip", Pdf));
        var after = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}/document-requests"));
        using var byApplicant = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/document-requests", new { kind = "payslip", message = "x" });

        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        Assert.Equal("Your last three payslips, please", before[0].GetProperty("message").GetString());
        Assert.False(before[0].TryGetProperty("fulfilled_at", out _));
        Assert.True(after[0].TryGetProperty("fulfilled_at", out _));
        Assert.Equal(HttpStatusCode.Forbidden, byApplicant.StatusCode);
    }

    [Fact]
    public async Task An_upload_that_is_not_multipart_is_415_and_one_without_a_kind_is_422()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var applicant = api.Client(ApplicantKey);

        using var json = await applicant.PostAsJsonAsync($"api/v1/applications/{id}/documents", new { kind = "payslip" });
        using var noKind = await applicant.PostAsync($"api/v1/applications/{id}/documents", Form(null, Pdf));
        using var badKind = await applicant.PostAsync($"api/v1/applications/{id}/documents", Form("selfie", Pdf));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noKind.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badKind.StatusCode);
    }
}
