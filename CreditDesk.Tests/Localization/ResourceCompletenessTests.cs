using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Texts;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;
using CreditDesk.Web.Localization;

namespace CreditDesk.Tests.Localization;

/// <summary>Every text exists in every language, says something, and names the same values; every key the code asks for exists.</summary>
public sealed partial class ResourceCompletenessTests
{
    private static readonly string[] Translations = ["es", "pt", "it"];

    public static TheoryData<string, string> Languages()
    {
        var data = new TheoryData<string, string>();
        foreach (var resources in new[] { nameof(DomainText), nameof(DeskText) })
        {
            foreach (var language in Translations)
            {
                data.Add(resources, language);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_key_is_translated_with_a_non_empty_value_naming_the_same_placeholders(string resources, string language)
    {
        var manager = Manager(resources);
        var english = Texts(manager, CultureInfo.InvariantCulture);
        var translated = Texts(manager, CultureInfo.GetCultureInfo(language));

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(translated.Keys).Order());
        Assert.Empty(translated.Keys.Except(english.Keys).Order());
        foreach (var (key, text) in translated)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{resources}.{language}: '{key}' is empty");
            Assert.True(Placeholders(english[key]).SetEquals(Placeholders(text)),
                $"{resources}.{language}: '{key}' names {string.Join(",", Placeholders(text))}, English names {string.Join(",", Placeholders(english[key]))}");
        }
    }

    [Fact]
    public void Every_text_the_screens_ask_for_by_name_exists()
    {
        var known = Texts(DeskText.Resources, CultureInfo.InvariantCulture).Keys.ToHashSet();
        var web = Path.Combine(AppProcess.RepositoryRoot, "CreditDesk.Web");
        var asked = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".razor", StringComparison.Ordinal) || path.EndsWith(".cs", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => LiteralKey().Matches(File.ReadAllText(path)).Select(match => match.Groups["key"].Value))
            .ToHashSet();

        Assert.True(asked.Count > 150, $"only {asked.Count} keys found: the scan is broken");
        Assert.Empty(asked.Except(known).Order());
    }

    [Fact]
    public void Every_text_named_from_a_code_exists()
    {
        var known = Texts(DeskText.Resources, CultureInfo.InvariantCulture).Keys.ToHashSet();
        var rules = CountryRegistry.All.SelectMany(policy => DecisionEngine.Decide(policy,
            new LoanRequest(10_000m, 2_000m, 36), BureauReportFor(policy)).Rules).Select(rule => rule.Name).Distinct();
        string[] named =
        [
            .. ApplicationStatusCodes.AllCodes.SelectMany(code => new[] { $"Status.{code}", ApplicantView.Describe(code), ApplicantView.WhatNext(code) }),
            .. Roles.All.Select(role => $"Role.{role}"),
            .. Enum.GetValues<Actor>().Select(actor => $"Actor.{actor.ToString().ToLowerInvariant()}"),
            .. Enum.GetValues<RuleOutcome>().Select(outcome => $"Rules.{outcome}"),
            .. Enum.GetValues<RuleSeverity>().Select(severity => $"Rules.{severity}"),
            .. Enum.GetValues<Polly.CircuitBreaker.CircuitState>().Select(state => $"Ops.Circuit.{state}"),
            .. rules.Select(rule => $"Rule.{rule}"),
        ];

        Assert.Empty(named.Except(known).Order());
    }

    [Fact]
    public void Every_domain_sentence_the_code_names_exists()
    {
        var known = Texts(DomainText.Resources, CultureInfo.InvariantCulture).Keys.ToHashSet();
        var domain = Path.Combine(AppProcess.RepositoryRoot, "CreditDesk.Domain");
        var named = Directory.EnumerateFiles(domain, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .SelectMany(source => WordingKey().Matches(source).Select(match => match.Groups["key"].Value)
                .Concat(DocumentKey().Matches(source).Select(match => $"Document.{match.Groups["country"].Value}.{match.Groups["what"].Value}")))
            .Concat(CountryRegistry.All.SelectMany(policy => new[] { $"Country.{policy.Code}.Name", $"Country.{policy.Code}.DocumentHint" }))
            .ToHashSet();

        Assert.True(named.Count > 40, $"only {named.Count} keys found: the scan is broken");
        Assert.Empty(named.Except(known).Order());
    }

    private static ResourceManager Manager(string resources) => resources == nameof(DomainText) ? DomainText.Resources : DeskText.Resources;

    /// <summary>One language's own texts, without falling back to another's.</summary>
    private static Dictionary<string, string> Texts(ResourceManager manager, CultureInfo culture)
    {
        var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No resources for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? "");
    }

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(match => match.Groups[1].Value).ToHashSet();

    private static CreditDesk.Domain.Bureaus.BureauReport BureauReportFor(ICountryPolicy policy) =>
        new(policy.BureauName, 700, 1_000m, 200m, false, 2_000m, IsFallback: false);

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    /// <summary>T["Some.Key"] or T["Some.Key", values…] in a component.</summary>
    [GeneratedRegex("""\bT\["(?<key>[A-Za-z][A-Za-z0-9_.]*)"[\],]""")]
    private static partial Regex LiteralKey();

    [GeneratedRegex("""new Wording\("(?<key>[A-Za-z][A-Za-z0-9_.]*)"[\),]""")]
    private static partial Regex WordingKey();

    [GeneratedRegex("""DocumentCheck\.Invalid\([^;]*?"(?<country>[A-Z]{2})", "(?<what>[A-Za-z]+)"[\),]""")]
    private static partial Regex DocumentKey();
}
