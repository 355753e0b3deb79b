using System;

namespace DiffGen.Benchmarks;

/// <summary>
/// <c>--paired</c> also times this benchmark against the named [Benchmark] method of the same class (besides the
/// class's baseline), e.g. a library wrapper against the same work without the wrapper.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PairedWithAttribute : Attribute
{
    public PairedWithAttribute(string method) => Method = method;

    /// <summary>The name of the other benchmark method.</summary>
    public string Method { get; }
}
