internal static partial class Program
{
    private static int Main(string[] args) => FashionMnist.Plots.PlotsDemo.Run(args);
}
