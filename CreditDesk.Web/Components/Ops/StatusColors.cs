namespace CreditDesk.Web.Components.Ops;

/// <summary>The status colours of <see cref="Layout.DeskTheme"/> as hex, for charts (which take colours, not theme names).</summary>
public static class StatusColors
{
    public static string Hex(string status) => status switch
    {
        "APPROVED" or "DISBURSED" => Layout.DeskTheme.Theme.PaletteLight.Success.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex),
        "REJECTED" => Layout.DeskTheme.Theme.PaletteLight.Error.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex),
        "UNDER_REVIEW" => Layout.DeskTheme.Theme.PaletteLight.Warning.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex),
        "CANCELLED" => "#616161",
        _ => Layout.DeskTheme.Theme.PaletteLight.Info.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex),
    };
}
