using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SkiaSharp;

namespace FashionMnist.Plots;

/// <summary>
/// Draws the adversarial-example slide directly with SkiaSharp: exact pixel blocks for the
/// 28×28 images, a diverging colour scale for the perturbation and the top-3 probabilities as text.
/// Arguments are validated by <see cref="Charts"/>.
/// </summary>
internal static class AttackSlide
{
    private const int Scale = 10;
    private const int ImageSize = Charts.ImageSide * Scale;
    private const int Margin = 40;
    private const int TextGap = 22;
    private const int TextWidth = 280;
    private const int ColumnGap = 46;
    private const int BarGap = 14;
    private const int BarWidth = 18;
    private const int BarLabelWidth = 78;
    private const int HeaderHeight = 150;
    private const int RowHeight = ImageSize + 74;
    private const int TopK = 3;

    private static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    private static readonly SKColor Muted = new(0x6b, 0x6b, 0x6b);
    private static readonly SKColor Good = new(0x1a, 0x7f, 0x37);
    private static readonly SKColor Bad = new(0xc6, 0x28, 0x28);
    private static readonly SKColor Frame = new(0xb0, 0xb0, 0xb0);
    private static readonly SKColor BarBack = new(0xee, 0xee, 0xee);

    // Blue (negative) → white (0) → red (positive), after ColorBrewer's RdBu.
    private static readonly SKColor[] Diverging =
    [
        new(0x05, 0x30, 0x61),
        new(0x21, 0x66, 0xac),
        new(0x67, 0xa9, 0xcf),
        new(0xd1, 0xe5, 0xf0),
        new(0xf7, 0xf7, 0xf7),
        new(0xfd, 0xdb, 0xc7),
        new(0xef, 0x8a, 0x62),
        new(0xb2, 0x18, 0x2b),
        new(0x67, 0x00, 0x1f),
    ];

    private static int OriginalX => Margin;

    private static int PerturbationX => OriginalX + ImageSize + TextGap + TextWidth + ColumnGap;

    private static int AdversarialX => PerturbationX + ImageSize + BarGap + BarWidth + BarLabelWidth + ColumnGap;

    private static int SlideWidth => AdversarialX + ImageSize + TextGap + TextWidth + Margin;

    public static void Render(
        string path,
        IReadOnlyList<AttackExample> examples,
        IReadOnlyList<string> classNames,
        string attackDescription)
    {
        double scale = 0;
        int fooled = 0;
        foreach (AttackExample e in examples)
        {
            for (int p = 0; p < Charts.ImagePixels; p++)
            {
                scale = Math.Max(scale, Math.Abs((double)e.Adversarial[p] - e.Original[p]));
            }

            if (ArgMax(e.OriginalProbabilities) == e.TrueLabel && ArgMax(e.AdversarialProbabilities) != e.TrueLabel)
            {
                fooled++;
            }
        }

        if (scale == 0)
        {
            scale = 1;
        }

        int width = SlideWidth;
        int height = HeaderHeight + examples.Count * RowHeight + Margin / 2;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException("Skia could not create a drawing surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        using var regular = new SKFont(ChartFonts.Regular, 19) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var small = new SKFont(ChartFonts.Regular, 16) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var bold = new SKFont(ChartFonts.Bold, 19) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var title = new SKFont(ChartFonts.Bold, 30) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var column = new SKFont(ChartFonts.Bold, 21) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var paint = new SKPaint { IsAntialias = true, Color = Ink };

        // Header.
        canvas.DrawText(Fit("Adversarial examples — " + attackDescription, title, width - 2 * Margin), Margin, 48, SKTextAlign.Left, title, paint);
        paint.Color = Muted;
        string summary = Charts.Format(
            $"The attack flips a correct prediction to a wrong one in {fooled} of {examples.Count} examples.   Perturbation colours: blue < 0 < red, scale ±{scale:0.000} (largest |δ|).");
        canvas.DrawText(Fit(summary, regular, width - 2 * Margin), Margin, 84, SKTextAlign.Left, regular, paint);

        paint.Color = Ink;
        const float ColumnY = 132;
        canvas.DrawText("original image", OriginalX, ColumnY, SKTextAlign.Left, column, paint);
        canvas.DrawText("δ = adversarial − original", PerturbationX, ColumnY, SKTextAlign.Left, column, paint);
        canvas.DrawText("adversarial = original + δ", AdversarialX, ColumnY, SKTextAlign.Left, column, paint);
        paint.Color = Frame;
        canvas.DrawLine(Margin, ColumnY + 12, width - Margin, ColumnY + 12, paint);

        for (int row = 0; row < examples.Count; row++)
        {
            AttackExample e = examples[row];
            float top = HeaderHeight + row * RowHeight + 10;
            float imageTop = top + 26;

            paint.Color = Muted;
            canvas.DrawText(
                Charts.Format($"#{row + 1}   true class: ") + classNames[e.TrueLabel],
                OriginalX,
                top + 10,
                SKTextAlign.Left,
                small,
                paint);

            DrawGray(canvas, e.Original, OriginalX, imageTop);
            DrawPredictions(canvas, e.OriginalProbabilities, e.TrueLabel, classNames, OriginalX + ImageSize + TextGap, imageTop, regular, bold, small, null);

            DrawPerturbation(canvas, e, scale, PerturbationX, imageTop);
            DrawColorBar(canvas, scale, PerturbationX + ImageSize + BarGap, imageTop, small);
            double linf = 0;
            double l2 = 0;
            for (int p = 0; p < Charts.ImagePixels; p++)
            {
                double d = (double)e.Adversarial[p] - e.Original[p];
                linf = Math.Max(linf, Math.Abs(d));
                l2 += d * d;
            }

            paint.Color = Muted;
            canvas.DrawText(
                Charts.Format($"‖δ‖∞ = {linf:0.000}    ‖δ‖₂ = {Math.Sqrt(l2):0.00}"),
                PerturbationX,
                imageTop + ImageSize + 24,
                SKTextAlign.Left,
                small,
                paint);

            DrawGray(canvas, e.Adversarial, AdversarialX, imageTop);
            DrawPredictions(canvas, e.AdversarialProbabilities, e.TrueLabel, classNames, AdversarialX + ImageSize + TextGap, imageTop, regular, bold, small, ArgMax(e.OriginalProbabilities));

            if (row + 1 < examples.Count)
            {
                paint.Color = BarBack;
                float y = top + RowHeight - 8;
                canvas.DrawLine(Margin, y, width - Margin, y, paint);
            }
        }

        Charts.EnsureFolder(path);
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("Skia could not encode the PNG.");
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    private static void DrawGray(SKCanvas canvas, float[] pixels, float left, float top)
    {
        using var paint = new SKPaint { IsAntialias = false };
        for (int r = 0; r < Charts.ImageSide; r++)
        {
            for (int c = 0; c < Charts.ImageSide; c++)
            {
                float v = Math.Clamp(pixels[r * Charts.ImageSide + c], 0f, 1f);
                byte g = (byte)MathF.Round(v * 255f);
                paint.Color = new SKColor(g, g, g);
                canvas.DrawRect(left + c * Scale, top + r * Scale, Scale, Scale, paint);
            }
        }

        DrawFrame(canvas, left, top, ImageSize, ImageSize);
    }

    private static void DrawPerturbation(SKCanvas canvas, AttackExample e, double scale, float left, float top)
    {
        using var paint = new SKPaint { IsAntialias = false };
        for (int r = 0; r < Charts.ImageSide; r++)
        {
            for (int c = 0; c < Charts.ImageSide; c++)
            {
                int p = r * Charts.ImageSide + c;
                double t = ((double)e.Adversarial[p] - e.Original[p]) / scale;
                paint.Color = DivergingColor(t);
                canvas.DrawRect(left + c * Scale, top + r * Scale, Scale, Scale, paint);
            }
        }

        DrawFrame(canvas, left, top, ImageSize, ImageSize);
    }

    private static void DrawColorBar(SKCanvas canvas, double scale, float left, float top, SKFont font)
    {
        using var paint = new SKPaint { IsAntialias = false };
        for (int y = 0; y < ImageSize; y++)
        {
            double t = 1 - 2.0 * (y + 0.5) / ImageSize;
            paint.Color = DivergingColor(t);
            canvas.DrawRect(left, top + y, BarWidth, 1, paint);
        }

        DrawFrame(canvas, left, top, BarWidth, ImageSize);
        using var text = new SKPaint { IsAntialias = true, Color = Ink };
        float x = left + BarWidth + 6;
        canvas.DrawText(Charts.Format($"+{scale:0.000}"), x, top + font.Size * 0.8f, SKTextAlign.Left, font, text);
        canvas.DrawText("0", x, top + ImageSize / 2f + font.Size * 0.35f, SKTextAlign.Left, font, text);
        canvas.DrawText(Charts.Format($"−{scale:0.000}"), x, top + ImageSize, SKTextAlign.Left, font, text);
    }

    private static void DrawPredictions(
        SKCanvas canvas,
        float[] probabilities,
        int trueLabel,
        IReadOnlyList<string> classNames,
        float left,
        float top,
        SKFont regular,
        SKFont bold,
        SKFont small,
        int? previousPrediction)
    {
        int[] order = TopIndices(probabilities, Math.Min(TopK, probabilities.Length));
        int predicted = order[0];
        bool correct = predicted == trueLabel;
        using var paint = new SKPaint { IsAntialias = true };

        float y = top + 22;
        paint.Color = correct ? Good : Bad;
        string verdict = correct ? "✓ " : "✗ ";
        string headline = verdict + classNames[predicted] + " " + Percent(probabilities[predicted]);
        canvas.DrawText(Fit(headline, bold, TextWidth), left, y, SKTextAlign.Left, bold, paint);
        y += 26;
        paint.Color = Muted;
        string detail = previousPrediction is int before && before != predicted
            ? "prediction changed"
            : correct ? "prediction correct" : "prediction wrong";
        canvas.DrawText(detail, left, y, SKTextAlign.Left, small, paint);

        y += 40;
        paint.Color = Ink;
        canvas.DrawText(Charts.Format($"top-{order.Length} probabilities"), left, y, SKTextAlign.Left, small, paint);
        y += 12;
        const float LineHeight = 50;
        foreach (int k in order)
        {
            float p = Math.Clamp(probabilities[k], 0f, 1f);
            bool isTrue = k == trueLabel;
            paint.Color = isTrue ? Good : k == predicted ? Bad : Ink;
            SKFont font = isTrue || k == predicted ? bold : regular;
            string percent = Percent(probabilities[k]);
            float percentWidth = font.MeasureText(percent);
            canvas.DrawText(Fit(classNames[k], font, TextWidth - percentWidth - 10), left, y + 20, SKTextAlign.Left, font, paint);
            canvas.DrawText(percent, left + TextWidth, y + 20, SKTextAlign.Right, font, paint);

            using var bar = new SKPaint { IsAntialias = false, Color = BarBack };
            canvas.DrawRect(left, y + 28, TextWidth, 8, bar);
            bar.Color = (isTrue ? Good : k == predicted ? Bad : Muted).WithAlpha(200);
            canvas.DrawRect(left, y + 28, TextWidth * p, 8, bar);
            y += LineHeight;
        }
    }

    private static void DrawFrame(SKCanvas canvas, float left, float top, float width, float height)
    {
        using var frame = new SKPaint { IsAntialias = false, Color = Frame, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(left - 0.5f, top - 0.5f, width + 1, height + 1, frame);
    }

    private static SKColor DivergingColor(double t)
    {
        t = Math.Clamp(t, -1, 1);
        double position = (t + 1) / 2 * (Diverging.Length - 1);
        int i = Math.Min((int)position, Diverging.Length - 2);
        double f = position - i;
        SKColor a = Diverging[i];
        SKColor b = Diverging[i + 1];
        return new SKColor(Mix(a.Red, b.Red, f), Mix(a.Green, b.Green, f), Mix(a.Blue, b.Blue, f));
    }

    private static byte Mix(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);

    private static string Percent(float probability)
    {
        double p = Math.Clamp((double)probability, 0, 1) * 100;
        return p > 0 && p < 0.1
            ? "<0.1 %"
            : p.ToString("0.0", CultureInfo.InvariantCulture) + " %";
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        for (int length = text.Length - 1; length > 0; length--)
        {
            string shorter = string.Concat(text.AsSpan(0, length), "…");
            if (font.MeasureText(shorter) <= width)
            {
                return shorter;
            }
        }

        return "…";
    }

    private static int ArgMax(float[] values) => TopIndices(values, 1)[0];

    private static int[] TopIndices(float[] values, int count)
    {
        var indices = new int[values.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        Array.Sort(indices, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        return indices[..count];
    }
}
