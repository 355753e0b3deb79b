using System;
using System.IO;
using System.Text;
using DiffGen.GradBench.Modules;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench;

/// <summary>
/// <c>DiffGen.GradBench [--hand-written]</c>: a gradbench tool on stdin/stdout. By default every derivative is the one
/// DiffGen generated from the <c>[Differentiable]</c> functions in <c>Evals/</c>; <c>--hand-written</c> runs the
/// hand-written baselines instead (for comparison through the same protocol).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Variant variant = Variant.Generated;
        foreach (string arg in args)
        {
            switch (arg)
            {
                case "--hand-written":
                    variant = Variant.HandWritten;
                    break;
                case "--help" or "-h":
                    Console.Error.WriteLine("usage: DiffGen.GradBench [--hand-written]   (gradbench's JSON-lines protocol on stdin/stdout)");
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown argument '{arg}'; usage: DiffGen.GradBench [--hand-written]");
                    return 2;
            }
        }

        using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        var server = new Server(Module.All(variant), variant == Variant.Generated ? "generated" : "hand-written");
        server.Run(input, output);
        return 0;
    }
}
