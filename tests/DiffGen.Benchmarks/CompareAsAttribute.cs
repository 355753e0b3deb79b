using System;

namespace DiffGen.Benchmarks;

/// <summary>
/// Marks a benchmark whose mean time compare.sh sets against a PyTorch case of the same name. The case name is
/// <see cref="Name"/>, followed by <c>_</c> and the benchmark's parameter values when it has any (for example
/// <c>sgemm_64x784x256</c>); torch_bench.py must print the same name. With <see cref="HandWritten"/> set it names the
/// hand-written baseline of that case instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CompareAsAttribute : Attribute
{
    public CompareAsAttribute(string name) => Name = name;

    public string Name { get; }

    /// <summary>
    /// This benchmark is the hand-written C# counterpart of the DiffGen benchmark of the same <see cref="Name"/>: compare.sh
    /// shows it in its own column (and the generated/hand-written ratio) instead of as a PyTorch comparison.
    /// </summary>
    public bool HandWritten { get; set; }
}
