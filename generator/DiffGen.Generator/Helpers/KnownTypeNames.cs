namespace DiffGen.Generator.Helpers;

/// <summary>Metadata names of the types the generator recognises.</summary>
internal static class KnownTypeNames
{
    public const string DifferentiableAttribute = "DiffGen.DifferentiableAttribute";
    public const string DerivativeOfAttribute = "DiffGen.DerivativeOfAttribute";
    public const string NoDerivativeAttribute = "DiffGen.NoDerivativeAttribute";
    public const string OutputAttribute = "DiffGen.OutputAttribute";
    public const string DerivativeDrivers = "global::DiffGen.CompilerServices.DerivativeDrivers";

    public const string Sequences = "global::DiffGen.CompilerServices.Sequences";
    public const string Tape = "global::DiffGen.CompilerServices.Tape";
    public const string ProvenInRange = "global::DiffGen.CompilerServices.ProvenInRange";
    public const string ArrayPool = "global::System.Buffers.ArrayPool";
    public const string GradientGuard = "global::DiffGen.CompilerServices.GradientGuard";
    public const string TensorPrimitives = "global::System.Numerics.Tensors.TensorPrimitives";
}
