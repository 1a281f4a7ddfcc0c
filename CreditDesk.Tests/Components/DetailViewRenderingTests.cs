using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Components.Applications;

namespace CreditDesk.Tests.Components;

public sealed class DetailViewRenderingTests
{
    private static readonly ApplicationDetail Detail = new(
        new ApplicationSummary(Guid.CreateVersion7(), "CO", "COP", "UNDER_REVIEW", 5_000_000m, 4_000_000m, 36, 72,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
        "Camila Rodríguez", "1020304050", DocumentMasked: false,
        [new RuleResult("bureau_score", RuleSeverity.Reject, RuleOutcome.Passed, 640m, FailsWhen.Below, 600m, "Credit score below the minimum")],
        BureauReport.Fallback("DataCrédito"));

    [Fact]
    public async Task Anyone_but_an_admin_sees_only_the_last_four_characters_of_the_document()
    {
        var page = await ComponentRenderer.RenderAsync<ApplicationDetailView>(new() { ["Detail"] = Detail, ["IsAdmin"] = false });

        Assert.Equal("****4050", page.QuerySelector("[data-testid=detail-document]")!.TextContent);
        Assert.DoesNotContain("1020304050", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_sees_the_whole_document()
    {
        var page = await ComponentRenderer.RenderAsync<ApplicationDetailView>(new() { ["Detail"] = Detail, ["IsAdmin"] = true });

        Assert.Equal("1020304050", page.QuerySelector("[data-testid=detail-document]")!.TextContent);
    }

    [Fact]
    public async Task The_risk_score_rules_status_and_fallback_flag_are_shown()
    {
        var page = await ComponentRenderer.RenderAsync<ApplicationDetailView>(new() { ["Detail"] = Detail });

        Assert.Equal("72", page.QuerySelector("[data-testid=detail-risk-score]")!.TextContent.Trim());
        Assert.Equal("UNDER_REVIEW", page.QuerySelector("[data-testid=app-detail]")!.GetAttribute("data-status"));
        Assert.Equal("UNDER_REVIEW", page.QuerySelector("[data-testid=detail-status]")!.GetAttribute("data-status"));
        Assert.Equal("true", page.QuerySelector("[data-testid=detail-bureau]")!.GetAttribute("data-fallback"));
        Assert.NotNull(page.QuerySelector("[data-rule=bureau_score]"));
    }
}
