using MudBlazor;

namespace LiveDiscussion.Web.Components.Layout;

public static class SiteTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2457a6",
            Secondary = "#b4451f",
            AppbarBackground = "#ffffff",
            Background = "#f6f7f9",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"],
            },
        },
    };
}
