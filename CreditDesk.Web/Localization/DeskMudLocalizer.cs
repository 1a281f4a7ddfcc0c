using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CreditDesk.Web.Localization;

/// <summary>
/// MudBlazor's own words (the grid's pager, close buttons, the date picker's labels) from DeskText under <c>Mud.&lt;key&gt;</c>,
/// so they follow the page's language like everything else; a key the desk has not translated stays MudBlazor's English.
/// </summary>
public sealed class DeskMudLocalizer(IStringLocalizer<DeskText> text) : MudLocalizer
{
    public override LocalizedString this[string key] =>
        text[$"Mud.{key}"] is { ResourceNotFound: false } found ? new LocalizedString(key, found.Value) : base[key];

    public override LocalizedString this[string key, params object[] arguments] =>
        text[$"Mud.{key}", arguments] is { ResourceNotFound: false } found ? new LocalizedString(key, found.Value) : base[key, arguments];
}
