using System;

namespace DiffGen.Benchmarks;

/// <summary>
/// Marks a benchmark whose mean time compare.sh sets against a PyTorch case of the same name. The case name is
/// <see cref="Name"/>, followed by <c>_</c> and the benchmark's parameter values when it has any (for example
/// <c>sgemm_64x784x256</c>); torch_bench.py must print the same name.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CompareAsAttribute : Attribute
{
    public CompareAsAttribute(string name) => Name = name;

    public string Name { get; }
}
