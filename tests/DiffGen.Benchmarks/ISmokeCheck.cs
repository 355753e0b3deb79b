namespace DiffGen.Benchmarks;

/// <summary>
/// A benchmark class whose variants must agree (generated gradient = hand-written gradient). <c>--smoke</c> calls
/// <see cref="Check"/> after its [GlobalSetup]; a non-null result is a failure message.
/// </summary>
public interface ISmokeCheck
{
    /// <summary>Runs the variants on the same inputs and compares them; <see langword="null"/> when they agree.</summary>
    string? Check();
}
