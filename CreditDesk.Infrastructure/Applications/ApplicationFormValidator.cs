using CreditDesk.Domain.Applications;
using FluentValidation;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>FluentValidation as the adapter over the Domain's rules: the rules themselves live in <see cref="ApplicationFormRules"/>.</summary>
public sealed class ApplicationFormValidator : AbstractValidator<ApplicationForm>
{
    public ApplicationFormValidator(TimeProvider clock)
    {
        RuleFor(form => form).Custom((form, context) =>
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            foreach (var (field, messages) in ApplicationFormRules.Validate(form, today))
            {
                foreach (var message in messages)
                {
                    context.AddFailure(field, message);
                }
            }
        });
    }

    /// <summary>Errors by snake_case field, as the API and the form show them.</summary>
    public static IReadOnlyDictionary<string, string[]> ToErrors(FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
}
