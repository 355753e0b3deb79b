using System;
using System.IO;
using SkiaSharp;

namespace FashionMnist.Plots;

/// <summary>
/// Resolves the typefaces used by every chart. The Linux Skia build shipped by
/// SkiaSharp.NativeAssets.Linux.NoDependencies does not use fontconfig, so family-name lookups
/// are unreliable there; known font files are loaded directly first.
/// </summary>
internal static class ChartFonts
{
    /// <summary>The family name registered with ScottPlot for the regular and bold faces.</summary>
    public const string FamilyName = "DiffGen Chart Sans";

    private static readonly string[] RegularCandidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        @"C:\Windows\Fonts\segoeui.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    private static readonly string[] BoldCandidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
        @"C:\Windows\Fonts\segoeuib.ttf",
        @"C:\Windows\Fonts\arialbd.ttf",
    ];

    private static readonly object Gate = new();
    private static bool scottPlotConfigured;
    private static string? regularPath;
    private static string? boldPath;
    private static SKTypeface? regular;
    private static SKTypeface? bold;

    /// <summary>The regular typeface.</summary>
    public static SKTypeface Regular
    {
        get
        {
            lock (Gate)
            {
                return regular ??= Load(RegularCandidates, SKFontStyle.Normal, out regularPath);
            }
        }
    }

    /// <summary>The bold typeface.</summary>
    public static SKTypeface Bold
    {
        get
        {
            lock (Gate)
            {
                return bold ??= Load(BoldCandidates, SKFontStyle.Bold, out boldPath);
            }
        }
    }

    /// <summary>
    /// Registers the resolved font files with ScottPlot (once) and returns the family name to use
    /// in <c>plot.Font.Set</c>, or <c>null</c> to keep ScottPlot's own default.
    /// </summary>
    public static string? ForScottPlot()
    {
        lock (Gate)
        {
            regular ??= Load(RegularCandidates, SKFontStyle.Normal, out regularPath);
            bold ??= Load(BoldCandidates, SKFontStyle.Bold, out boldPath);
            if (regularPath is null)
            {
                return null;
            }

            if (!scottPlotConfigured)
            {
                ScottPlot.Fonts.AddFontFile(FamilyName, regularPath, bold: false, italic: false);
                ScottPlot.Fonts.AddFontFile(FamilyName, boldPath ?? regularPath, bold: true, italic: false);
                scottPlotConfigured = true;
            }

            return FamilyName;
        }
    }

    private static SKTypeface Load(string[] candidates, SKFontStyle style, out string? path)
    {
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                SKTypeface? typeface = SKTypeface.FromFile(candidate);
                if (typeface is not null)
                {
                    path = candidate;
                    return typeface;
                }
            }
        }

        path = null;
        foreach (string family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" })
        {
            SKTypeface? typeface = SKFontManager.Default.MatchFamily(family, style);
            if (typeface is not null)
            {
                return typeface;
            }
        }

        return SKTypeface.Default ?? throw new InvalidOperationException("No usable font was found for chart text.");
    }
}
