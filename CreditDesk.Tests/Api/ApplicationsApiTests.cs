using System.Net;
using System.Net.Http.Json;
using System.Text;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

public sealed class ApplicationsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Body(string? document = null, object? amount = null) => new
    {
        country = "CO",
        full_name = "Valentina Ospina",
        document = document ?? ApplicationTestData.NextCedula(),
        amount = amount ?? "5000000.00",
        monthly_income = 4_000_000,
        term_months = 36,
    };

    [Fact]
    public async Task Create_answers_201_with_a_Location_and_money_as_decimal_strings()
    {
        using var client = api.Client(ApplicantKey);

        using var response = await client.PostAsJsonAsync("api/v1/applications", Body(amount: 5_000_000.5m));
        var json = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/applications/{json.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("5000000.50", json.GetProperty("amount").GetString());
        Assert.Equal("4000000.00", json.GetProperty("monthly_income").GetString());
        Assert.Equal("PENDING", json.GetProperty("status").GetString());
        Assert.EndsWith("Z", json.GetProperty("created_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_answers_422_with_errors_per_field_and_writes_nothing()
    {
        using var client = api.Client(ApplicantKey);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");

        using var response = await client.PostAsJsonAsync("api/v1/applications",
            new { country = "ES", full_name = "X", document = "12345678A", amount = "abc", monthly_income = -1, term_months = 2 });
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("trace_id", out _));
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["amount"], fields);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));

        using var second = await client.PostAsJsonAsync("api/v1/applications",
            new { country = "ES", full_name = "X", document = "12345678A", amount = "10", monthly_income = -1, term_months = 2 });
        var all = (await JsonAsync(second)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["document", "full_name", "monthly_income", "term_months"], all);
    }

    [Theory]
    [InlineData("15.000")]
    [InlineData("15,000.00")]
    [InlineData("1e5")]
    [InlineData("2500,50")]
    public async Task Create_refuses_a_money_string_it_could_misread_with_a_field_error(string amount)
    {
        using var client = api.Client(ApplicantKey);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");

        using var response = await client.PostAsJsonAsync("api/v1/applications", Body(amount: amount));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    [Fact]
    public async Task Every_application_gets_a_human_reference_and_is_found_exactly_by_it_or_by_its_document()
    {
        using var client = api.Client(ApplicantKey);
        using var staff = api.Client(OfficerKey);
        var document = ApplicationTestData.NextCedula();
        using var created = await client.PostAsJsonAsync("api/v1/applications", Body(document));
        var application = await JsonAsync(created);
        var reference = application.GetProperty("reference").GetString()!;
        var id = application.GetProperty("id").GetString();
        using var other = await client.PostAsJsonAsync("api/v1/applications", Body(ApplicationTestData.NextCedula()));

        var byReference = await JsonAsync(await staff.GetAsync($"api/v1/applications?q={reference.ToLowerInvariant()}"));
        var byDocument = await JsonAsync(await staff.GetAsync($"api/v1/applications?q={document}"));
        var byOtherDocument = await JsonAsync(await staff.GetAsync($"api/v1/applications?q={ApplicationTestData.NextCedula()}"));

        Assert.Matches(@"^CO-\d{4}-\d{6,}$", reference);
        Assert.NotEqual(reference, (await JsonAsync(other)).GetProperty("reference").GetString());
        Assert.Equal([id], byReference.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([id], byDocument.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Empty(byOtherDocument.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Create_answers_409_for_a_second_active_application_of_the_same_person()
    {
        using var client = api.Client(ApplicantKey);
        var document = ApplicationTestData.NextCedula();
        // Held in review (out of the pipeline): a quick automatic rejection would make the first one final.
        await api.ApplicationInStatusAsync("UNDER_REVIEW", document);

        using var second = await client.PostAsJsonAsync("api/v1/applications", Body(document));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.EndsWith("/duplicate_application", (await JsonAsync(second)).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_and_body_replay_the_original_response_and_another_body_is_409()
    {
        using var client = api.Client(ApplicantKey);
        var body = JsonContent.Create(Body());
        var bytes = await body.ReadAsByteArrayAsync();
        HttpRequestMessage Request(byte[] content) => new(HttpMethod.Post, "api/v1/applications")
        {
            Content = new ByteArrayContent(content) { Headers = { { "Content-Type", "application/json" } } },
            Headers = { { "Idempotency-Key", "order-42" } },
        };

        using var first = await client.SendAsync(Request(bytes));
        using var replay = await client.SendAsync(Request(bytes));
        using var other = await client.SendAsync(Request(await JsonContent.Create(Body()).ReadAsByteArrayAsync()));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    public async Task Create_answers_400_for_a_body_that_is_not_a_JSON_object(string body)
    {
        using var client = api.Client(ApplicantKey);

        using var response = await client.PostAsync("api/v1/applications", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Create_answers_413_over_64_KiB()
    {
        using var client = api.Client(ApplicantKey);
        var huge = new string('a', 70_000);

        using var response = await client.PostAsync("api/v1/applications",
            new StringContent($$"""{"country":"CO","full_name":"{{huge}}"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_key_the_API_answers_401_and_with_an_unknown_key_too()
    {
        using var anonymous = api.Client();
        using var unknown = api.Client("cdk_nobody");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.GetAsync("api/v1/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/v1/applications", Body())).StatusCode);
    }

    [Fact]
    public async Task Officers_and_admins_cannot_submit_applications()
    {
        using var officer = api.Client(OfficerKey);

        using var response = await officer.PostAsJsonAsync("api/v1/applications", Body());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_applicant_sees_only_their_own_applications_and_others_are_404()
    {
        using var mine = api.Client(ApplicantKey);
        using var theirs = api.Client(OtherApplicantKey);
        using var created = await theirs.PostAsJsonAsync("api/v1/applications", Body());
        var id = (await JsonAsync(created)).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"api/v1/applications/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync($"api/v1/applications/{id}/audit")).StatusCode);
        var list = await JsonAsync(await mine.GetAsync("api/v1/applications?limit=200"));
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync($"api/v1/applications/{id}")).StatusCode);
    }

    [Fact]
    public async Task Officers_see_the_document_masked_and_admins_see_it_whole()
    {
        using var applicant = api.Client(ApplicantKey);
        var document = ApplicationTestData.NextCedula();
        var id = (await JsonAsync(await applicant.PostAsJsonAsync("api/v1/applications", Body(document)))).GetProperty("id").GetGuid();

        var asOfficer = await JsonAsync(await api.Client(OfficerKey).GetAsync($"api/v1/applications/{id}"));
        var asAdmin = await JsonAsync(await api.Client(AdminKey).GetAsync($"api/v1/applications/{id}"));

        Assert.Equal("****" + document[^4..], asOfficer.GetProperty("document").GetString());
        Assert.Equal(document, asAdmin.GetProperty("document").GetString());
        Assert.Equal("Valentina Ospina", asOfficer.GetProperty("full_name").GetString());
    }

    [Fact]
    public async Task An_applicants_own_application_carries_no_risk_score_rules_bureau_data_staff_text_or_internal_ids()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        await api.Database.ExecuteAsync($"UPDATE credit_applications SET risk_score = 81 WHERE id = '{id}'");
        using var admin = api.Client(AdminKey);
        using var moved = await admin.PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "REJECTED", reason = "Payslips look forged, call compliance" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        using var applicant = api.Client(ApplicantKey);

        var own = await JsonAsync(await applicant.GetAsync($"api/v1/applications/{id}"));
        var listed = (await JsonAsync(await applicant.GetAsync("api/v1/applications"))).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        using var auditResponse = await applicant.GetAsync($"api/v1/applications/{id}/audit");
        var audit = await auditResponse.Content.ReadAsStringAsync();
        var staffView = await JsonAsync(await api.Client(OfficerKey).GetAsync($"api/v1/applications/{id}"));

        foreach (var field in new[] { "risk_score", "rules", "bureau" })
        {
            Assert.False(own.TryGetProperty(field, out _), $"{field} reached the applicant");
            Assert.False(listed.TryGetProperty(field, out _), $"{field} reached the applicant's list");
        }
        Assert.Equal("REJECTED", own.GetProperty("status").GetString());
        Assert.DoesNotContain("forged", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("actor_id", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-admin", audit, StringComparison.Ordinal);
        Assert.Contains("A CreditDesk employee", audit, StringComparison.Ordinal);
        Assert.Equal(81, staffView.GetProperty("risk_score").GetInt32());
    }

    [Fact]
    public async Task Answers_that_carry_personal_data_are_never_stored_by_a_cache()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var admin = api.Client(AdminKey);

        foreach (var path in new[] { $"api/v1/applications/{id}", "api/v1/applications", $"api/v1/applications/{id}/audit" })
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path}: Cache-Control {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Get_and_audit_answer_404_for_an_unknown_id()
    {
        using var admin = api.Client(AdminKey);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/applications/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/applications/{Guid.NewGuid()}/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("api/v1/applications/not-a-guid")).StatusCode);
    }

    [Theory]
    [InlineData("status=ON_HOLD")]
    [InlineData("country=PE")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("cursor=garbage!")]
    public async Task List_answers_422_for_bad_filters(string query)
    {
        using var officer = api.Client(OfficerKey);

        using var response = await officer.GetAsync($"api/v1/applications?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Cursor_paging_returns_each_row_exactly_once_while_rows_are_being_inserted()
    {
        using var applicant = api.Client(ApplicantKey);
        using var officer = api.Client(OfficerKey);
        for (var i = 0; i < 30; i++)
        {
            await applicant.PostAsJsonAsync("api/v1/applications", Body());
        }
        var before = (await api.Database.ListAsync("SELECT id FROM credit_applications", r => r.GetGuid(0))).ToHashSet();

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            // Someone keeps submitting while we page: new rows are newer than our cursor and never shift the pages.
            await applicant.PostAsJsonAsync("api/v1/applications", Body());
            var page = await JsonAsync(await officer.GetAsync($"api/v1/applications?limit=7{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").ValueKind == System.Text.Json.JsonValueKind.String ? page.GetProperty("next_cursor").GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(before, seen.ToHashSet());
    }

    [Fact]
    public async Task List_filters_by_country_and_status_newest_first()
    {
        using var applicant = api.Client(ApplicantKey);
        await applicant.PostAsJsonAsync("api/v1/applications", Body());
        using var officer = api.Client(OfficerKey);

        var page = await JsonAsync(await officer.GetAsync("api/v1/applications?country=co&limit=50"));
        var items = page.GetProperty("items").EnumerateArray().ToList();

        Assert.NotEmpty(items);
        Assert.All(items, item => Assert.Equal("CO", item.GetProperty("country").GetString()));
        var created = items.Select(item => item.GetProperty("created_at").GetDateTime()).ToList();
        Assert.Equal(created.OrderByDescending(c => c), created);
        var none = await JsonAsync(await officer.GetAsync("api/v1/applications?country=ES"));
        Assert.Empty(none.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_admin_moves_an_application_under_review_to_approved_and_the_audit_shows_it()
    {
        var id = await api.Database.SubmitOutOfPipelineAsync(CreateAsync, "UNDER_REVIEW");
        using var admin = api.Client(AdminKey);

        using var response = await admin.PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "Payslips checked" });
        var audit = await JsonAsync(await admin.GetAsync($"api/v1/applications/{id}/audit"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("APPROVED", (await JsonAsync(response)).GetProperty("status").GetString());
        var last = audit.EnumerateArray().Last();
        Assert.Equal("UNDER_REVIEW", last.GetProperty("from_status").GetString());
        Assert.Equal("APPROVED", last.GetProperty("to_status").GetString());
        Assert.Equal("Payslips checked", last.GetProperty("reason").GetString());
        Assert.Equal("admin", last.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Status_changes_answer_409_for_an_invalid_transition_403_for_officers_and_422_without_a_reason()
    {
        var id = await api.Database.SubmitOutOfPipelineAsync(CreateAsync, "REJECTED");

        using var invalid = await api.Client(AdminKey).PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "Because" });
        using var officer = await api.Client(OfficerKey).PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "Because" });
        using var noReason = await api.Client(AdminKey).PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED" });
        using var unknownStatus = await api.Client(AdminKey).PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "ON_HOLD", reason = "x" });
        using var missing = await api.Client(AdminKey).PatchAsJsonAsync($"api/v1/applications/{Guid.NewGuid()}/status", new { status = "APPROVED", reason = "x" });

        Assert.Equal(HttpStatusCode.Conflict, invalid.StatusCode);
        Assert.EndsWith("/invalid_transition", (await JsonAsync(invalid)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownStatus.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_admin_transition_without_a_reason_is_a_422_on_the_reason_field()
    {
        var id = await api.Database.SubmitOutOfPipelineAsync(CreateAsync, "UNDER_REVIEW");

        using var response = await api.Client(AdminKey).PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = " " });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task Countries_describe_each_form_without_authentication()
    {
        var countries = await JsonAsync(await api.Client().GetAsync("api/v1/countries"));

        Assert.Equal(["ES", "PT", "IT", "MX", "CO", "BR"], countries.EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        Assert.Equal("CURP", countries.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "MX").GetProperty("document_name").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_each_endpoints_request_and_answers()
    {
        using var response = await api.Client().GetAsync("openapi/v1.json");
        var document = await JsonAsync(response);
        var paths = document.GetProperty("paths");
        string? BodySchema(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        string? Answer(string path, string method, string status, string media = "application/json") => paths.GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty(media).GetProperty("schema").ToString();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/NewApplicationRequest", BodySchema("/api/v1/applications", "post"));
        Assert.Contains("ApplicationResponse", Answer("/api/v1/applications", "post", "201"));
        Assert.Contains("ApplicationListResponse", Answer("/api/v1/applications", "get", "200"));
        Assert.Contains("ApplicationResponse", Answer("/api/v1/applications/{id}", "get", "200"));
        Assert.EndsWith("/StatusChangeRequest", BodySchema("/api/v1/applications/{id}/status", "patch"));
        Assert.Contains("ProblemDetails", Answer("/api/v1/applications/{id}/status", "patch", "422", "application/problem+json"));
        Assert.EndsWith("/ApiKeyRequest", BodySchema("/api/v1/api-keys", "post"));
        Assert.Contains("ApiKeyResponse", Answer("/api/v1/api-keys", "post", "201"));
        Assert.EndsWith("/BankConfirmationRequest", BodySchema("/api/v1/webhooks/bank-confirmation", "post"));
        Assert.Contains("WebhookReceipt", Answer("/api/v1/webhooks/bank-confirmation", "post", "200"));
        var statusChange = document.GetProperty("components").GetProperty("schemas").GetProperty("StatusChangeRequest").GetProperty("properties");
        Assert.Equal(["status", "reason"], statusChange.EnumerateObject().Select(property => property.Name));
    }

    private async Task<Guid> CreateAsync()
    {
        using var applicant = api.Client(ApplicantKey);
        using var response = await applicant.PostAsJsonAsync("api/v1/applications", Body());
        return (await JsonAsync(response)).GetProperty("id").GetGuid();
    }
}

public sealed class ApiKeysApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_admin_creates_a_key_that_works_at_once_and_stops_working_when_revoked()
    {
        using var admin = api.Client(ApiFixture.AdminKey);

        using var created = await admin.PostAsJsonAsync("api/v1/api-keys", new { name = "partner bank", role = "Officer" });
        var body = await ApiFixture.JsonAsync(created);
        var key = body.GetProperty("key").GetString()!;
        using var partner = api.Client(key);
        var before = await partner.GetAsync("api/v1/applications");
        using var revoked = await admin.DeleteAsync($"api/v1/api-keys/{body.GetProperty("id").GetGuid()}");
        var after = await partner.GetAsync("api/v1/applications");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM api_keys WHERE key_prefix = '{key[..12]}' AND key_hash = sha256(convert_to('{key}', 'UTF8')) AND revoked_at IS NULL"));
    }

    [Fact]
    public async Task Only_admins_manage_keys_and_bad_roles_are_422()
    {
        using var officer = api.Client(ApiFixture.OfficerKey);
        using var admin = api.Client(ApiFixture.AdminKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("api/v1/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.PostAsJsonAsync("api/v1/api-keys", new { name = "x", role = "Root" })).StatusCode);
    }
}
