using System;

namespace FashionMnist;

internal static class Program
{
    /// <summary>The main job (see Job/MainJob.cs); <c>--plots-demo DIR</c> renders the charts from synthetic data.</summary>
    private static int Main(string[] args) =>
        args.Length > 0 && args[0] == "--plots-demo" ? Plots.PlotsDemo.Run(args) : Job.MainJob.Run(args);
}
