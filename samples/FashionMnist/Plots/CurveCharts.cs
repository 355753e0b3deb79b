using System;
using System.Globalization;
using System.Text;
using ScottPlot;

namespace FashionMnist.Plots;

/// <summary>The line charts, drawn with ScottPlot. Arguments are validated by <see cref="Charts"/>.</summary>
internal static class CurveCharts
{
    private const int Width = 1200;
    private const int Height = 720;

    private static readonly Color LossColor = Color.FromHex("#1f77b4");
    private static readonly Color AccuracyColor = Color.FromHex("#d62728");
    private static readonly Color CurveColor = Color.FromHex("#444444");
    private static readonly Color StepColor = Color.FromHex("#e4572e");

    public static void LossAndAccuracy(string path, double[] loss, double[] accuracyPercent)
    {
        int epochs = loss.Length;
        var x = new double[epochs];
        for (int i = 0; i < epochs; i++)
        {
            x[i] = i + 1;
        }

        using Plot plot = NewPlot();
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "training loss";
        plot.Axes.Left.Label.ForeColor = LossColor;
        plot.Axes.Right.Label.Text = "test accuracy (%)";
        plot.Axes.Right.Label.ForeColor = AccuracyColor;

        var lossLine = plot.Add.Scatter(x, loss);
        lossLine.Color = LossColor;
        lossLine.LineWidth = 2.5f;
        lossLine.MarkerSize = epochs <= 60 ? 8 : 0;
        lossLine.LegendText = "training loss (left axis)";
        lossLine.Axes.YAxis = plot.Axes.Left;

        var accuracyLine = plot.Add.Scatter(x, accuracyPercent);
        accuracyLine.Color = AccuracyColor;
        accuracyLine.LineWidth = 2.5f;
        accuracyLine.MarkerSize = epochs <= 60 ? 8 : 0;
        accuracyLine.MarkerShape = MarkerShape.FilledSquare;
        accuracyLine.Axes.YAxis = plot.Axes.Right;

        double last = accuracyPercent[^1];
        double best = double.MinValue;
        int bestEpoch = 0;
        for (int i = 0; i < epochs; i++)
        {
            if (accuracyPercent[i] > best)
            {
                best = accuracyPercent[i];
                bestEpoch = i + 1;
            }
        }

        accuracyLine.LegendText = "test accuracy, % (right axis)";
        plot.Title(Charts.Format(
            $"Fashion-MNIST training — test accuracy: final {last:0.00} %, best {best:0.00} % (epoch {bestEpoch})"));

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = v => v.ToString("0", CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString("0.#", CultureInfo.InvariantCulture),
        };

        double pad = epochs == 1 ? 0.5 : Math.Max(0.3, (epochs - 1) * 0.03);
        plot.Axes.SetLimitsX(1 - pad, epochs + pad);
        (double lossLow, double lossHigh) = PaddedRange(loss, 0.08, includeZero: true);
        plot.Axes.SetLimitsY(lossLow, lossHigh, plot.Axes.Left);
        (double accLow, double accHigh) = PaddedRange(accuracyPercent, 0.15, includeZero: false);
        plot.Axes.SetLimitsY(Math.Max(0, accLow), Math.Min(100, accHigh), plot.Axes.Right);

        plot.ShowLegend(Alignment.MiddleRight);
        Save(plot, path);
    }

    public static void Descent(
        string path,
        Func<double, double> loss,
        double thetaMin,
        double thetaMax,
        double[] iterates,
        double learningRate,
        string title)
    {
        double low = thetaMin;
        double high = thetaMax;
        var values = new double[iterates.Length];
        for (int t = 0; t < iterates.Length; t++)
        {
            low = Math.Min(low, iterates[t]);
            high = Math.Max(high, iterates[t]);
            values[t] = loss(iterates[t]);
            if (!double.IsFinite(values[t]))
            {
                throw new ArgumentException(
                    Charts.Format($"f(θ_{t}) = f({iterates[t]}) is not finite."),
                    nameof(iterates));
            }
        }

        const int Samples = 600;
        var xs = new double[Samples];
        var ys = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            double theta = low + (high - low) * i / (Samples - 1);
            double y = loss(theta);
            if (!double.IsFinite(y))
            {
                throw new ArgumentException(Charts.Format($"f({theta}) is not finite."), nameof(loss));
            }

            xs[i] = theta;
            ys[i] = y;
        }

        using Plot plot = NewPlot();
        plot.Title(Charts.Format($"{title}   (η = {learningRate:G4}, {iterates.Length - 1} steps)"));
        plot.XLabel("θ");
        plot.YLabel("f(θ)");

        var curve = plot.Add.Scatter(xs, ys);
        curve.Color = CurveColor;
        curve.LineWidth = 3;
        curve.MarkerSize = 0;
        curve.LegendText = "loss f(θ)";

        (double yLow, double yHigh) = PaddedRange(ys, 0.06, includeZero: false);
        double xPad = (high - low) * 0.03;
        double yRange = yHigh - yLow;
        double xRange = high - low + 2 * xPad;

        for (int t = 0; t + 1 < iterates.Length; t++)
        {
            var start = new Coordinates(iterates[t], values[t]);
            var end = new Coordinates(iterates[t + 1], values[t + 1]);
            double dx = (end.X - start.X) / xRange * Width;
            double dy = (end.Y - start.Y) / yRange * Height;
            if (Math.Sqrt(dx * dx + dy * dy) < 24)
            {
                continue; // Too short for an arrowhead: the connecting line shows the step.
            }

            var arrow = plot.Add.Arrow(start, end);
            arrow.ArrowLineColor = StepColor.WithAlpha(0.85);
            arrow.ArrowFillColor = StepColor.WithAlpha(0.85);
            arrow.ArrowWidth = 2;
            arrow.ArrowheadWidth = 12;
            arrow.ArrowheadLength = 14;
            arrow.ArrowheadAxisLength = 14;
        }

        var points = plot.Add.Scatter(iterates, values);
        points.LineWidth = 1.5f;
        points.MarkerSize = 11;
        points.MarkerShape = MarkerShape.FilledCircle;
        points.Color = StepColor;
        points.LegendText = "gradient-descent iterates θₜ";

        var startMarker = plot.Add.Marker(iterates[0], values[0]);
        startMarker.Size = 16;
        startMarker.Shape = MarkerShape.OpenCircle;
        startMarker.Color = Color.FromHex("#2ca02c");
        startMarker.LineWidth = 3;

        // Label the first few iterates and the last one, skipping labels that would collide.
        const int Labelled = 4;
        const double MinimumLabelDistance = 34; // pixels, roughly
        var placed = new System.Collections.Generic.List<(double X, double Y)>();
        for (int t = 0; t < iterates.Length; t++)
        {
            bool isLast = t == iterates.Length - 1;
            if (t >= Labelled && !isLast)
            {
                continue;
            }

            double px = (iterates[t] - low + xPad) / xRange * Width;
            double py = (values[t] - yLow) / yRange * Height;
            bool collides = false;
            foreach ((double X, double Y) other in placed)
            {
                double ddx = px - other.X;
                double ddy = py - other.Y;
                collides |= Math.Sqrt(ddx * ddx + ddy * ddy) < MinimumLabelDistance;
            }

            if (collides)
            {
                continue;
            }

            placed.Add((px, py));

            var label = plot.Add.Text("θ" + Subscript(t), iterates[t], values[t]);
            label.LabelFontSize = 20;
            label.LabelBold = true;
            label.LabelFontColor = isLast ? Color.FromHex("#2d2d8f") : StepColor.Darken(0.3);
            // Put the label on the outer side of the curve: below-left where f falls, below-right where it rises.
            double h = (high - low) * 1e-4;
            bool falling = loss(iterates[t] + h) < loss(iterates[t] - h);
            label.LabelAlignment = falling ? Alignment.UpperRight : Alignment.UpperLeft;
            label.OffsetX = falling ? -10 : 10;
            label.OffsetY = 6;
            label.LabelBackgroundColor = Colors.White.WithAlpha(0.75);
        }

        plot.Axes.SetLimitsX(low - xPad, high + xPad);
        plot.Axes.SetLimitsY(yLow, yHigh);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.ShowLegend(Alignment.UpperCenter);
        Save(plot, path);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        try
        {
            Style(plot);
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    private static void Style(Plot plot)
    {
        string? family = ChartFonts.ForScottPlot();
        if (family is not null)
        {
            plot.Font.Set(family);
        }

        plot.Axes.Title.Label.FontSize = 24;
        plot.Axes.Bottom.Label.FontSize = 20;
        plot.Axes.Left.Label.FontSize = 20;
        plot.Axes.Right.Label.FontSize = 20;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 16;
        plot.Axes.Left.TickLabelStyle.FontSize = 16;
        plot.Axes.Right.TickLabelStyle.FontSize = 16;
        plot.Legend.FontSize = 16;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
    }

    private static void Save(Plot plot, string path)
    {
        Charts.EnsureFolder(path);
        plot.SavePng(path, Width, Height);
    }

    private static (double Low, double High) PaddedRange(double[] values, double fraction, bool includeZero)
    {
        double min = double.MaxValue;
        double max = double.MinValue;
        foreach (double v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (includeZero && min > 0)
        {
            min = 0;
        }

        double span = max - min;
        if (span <= 0)
        {
            span = Math.Max(Math.Abs(max), 1) * 0.1;
        }

        double low = min - span * fraction;
        if (includeZero && min >= 0)
        {
            low = 0;
        }

        return (low, max + span * fraction);
    }

    private static string Subscript(int number)
    {
        var text = new StringBuilder();
        foreach (char digit in number.ToString(CultureInfo.InvariantCulture))
        {
            text.Append((char)('₀' + (digit - '0')));
        }

        return text.ToString();
    }
}
