using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Differentiation;

/// <summary>Facts about the compilation that change the emitted code.</summary>
internal sealed record GenerationOptions(bool UseTensorPrimitives)
{
    public static readonly GenerationOptions Scalar = new(false);

    public static GenerationOptions From(Compilation compilation) =>
        new(compilation.GetTypeByMetadataName("System.Numerics.Tensors.TensorPrimitives") is not null);
}
