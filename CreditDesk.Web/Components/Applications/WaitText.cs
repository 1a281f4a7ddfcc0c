using CreditDesk.Web.Localization;
using Microsoft.Extensions.Localization;

namespace CreditDesk.Web.Components.Applications;

/// <summary>How long something has waited, as a person reads it in a queue: whole days, else whole hours, else minutes.</summary>
public static class WaitText
{
    public static string Of(TimeSpan waited, IStringLocalizer<DeskText> t) =>
        waited.TotalDays >= 1 ? t["Common.Days", (int)waited.TotalDays]
        : waited.TotalHours >= 1 ? t["Common.Hours", (int)waited.TotalHours]
        : t["Common.Minutes", Math.Max(0, (int)waited.TotalMinutes)];
}
