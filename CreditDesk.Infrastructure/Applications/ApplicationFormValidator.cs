using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Texts;
using FluentValidation;
using FluentValidation.Results;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>
/// FluentValidation as the adapter over the Domain's rules: the rules themselves live in <see cref="ApplicationFormRules"/>.
/// Each failure's message is English (the API's); its <see cref="ValidationFailure.CustomState"/> is the <see cref="Wording"/> a
/// screen shows in its own language.
/// </summary>
public sealed class ApplicationFormValidator : AbstractValidator<ApplicationForm>
{
    public ApplicationFormValidator(TimeProvider clock)
    {
        RuleFor(form => form).Custom((form, context) =>
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            foreach (var (field, wording) in ApplicationFormRules.Problems(form, today))
            {
                context.AddFailure(new ValidationFailure(field, wording.Text) { ErrorCode = wording.Key, CustomState = wording });
            }
        });
    }

    /// <summary>Errors by snake_case field, in English, as the API answers them.</summary>
    public static IReadOnlyDictionary<string, string[]> ToErrors(ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());

    /// <summary>The first problem of each field as wordings, for a screen to say in its language.</summary>
    public static IReadOnlyDictionary<string, Wording> ToWordings(ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.First().CustomState as Wording ?? new Wording("Text", g.First().ErrorMessage));
}
