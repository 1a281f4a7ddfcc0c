using MudBlazor;

namespace CreditDesk.Web.Components.Layout;

/// <summary>The desk's palette: MudBlazor's defaults with status colours that keep 4.5:1 contrast on white and on dark.</summary>
public static class DeskTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1b5e9f",
            Secondary = "#5c4d9a",
            Success = "#1b7f3b",
            Warning = "#9a5b00",
            Error = "#c62828",
            Info = "#1565c0",
            AppbarBackground = "#1b3a5c",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7cb4ee",
            Secondary = "#b3a6ea",
            Success = "#6fcf8f",
            Warning = "#f0b45a",
            Error = "#ff8a80",
            Info = "#82b9f5",
            // MudBlazor's dark secondary text (#9b9b9f) is 4.25:1 on its inputs: a shade lighter passes 4.5:1.
            TextSecondary = "#b4b4ba",
            // Light colours on a dark page need dark text on them to keep 4.5:1.
            PrimaryContrastText = "#0b1a2a",
            SecondaryContrastText = "#14102a",
            SuccessContrastText = "#08210f",
            WarningContrastText = "#2a1a00",
            ErrorContrastText = "#2a0a08",
            InfoContrastText = "#0b1a2a",
        },
    };
}
