namespace DiffGen.Generator.Model;

/// <summary>Element type of a value the IR understands.</summary>
internal enum ElementKind
{
    Void,
    Bool,
    Int,
    Float,
    Double,
    /// <summary>Any other type: only passed through (constant parameters, opaque calls).</summary>
    Other,
}

/// <summary>How the elements are held.</summary>
internal enum Shape
{
    Scalar,
    Array,
    Span,
    ReadOnlySpan,
}

/// <summary>A type in the IR: an element kind and a shape; <see cref="OtherName"/> spells any other type.</summary>
internal sealed record TypeRef(ElementKind Element, Shape Shape, string? OtherName = null)
{
    public static readonly TypeRef Void = new(ElementKind.Void, Shape.Scalar);
    public static readonly TypeRef Bool = new(ElementKind.Bool, Shape.Scalar);
    public static readonly TypeRef Int = new(ElementKind.Int, Shape.Scalar);
    public static readonly TypeRef Float = new(ElementKind.Float, Shape.Scalar);
    public static readonly TypeRef Double = new(ElementKind.Double, Shape.Scalar);

    public bool IsReal => Element is ElementKind.Float or ElementKind.Double;

    public bool IsScalar => Shape == Shape.Scalar;

    public bool IsRealScalar => IsReal && IsScalar;

    public bool IsVector => Shape != Shape.Scalar;

    public bool IsRealVector => IsReal && IsVector;

    public TypeRef ElementType => new(Element, Shape.Scalar, OtherName);

    public string ElementKeyword => Element switch
    {
        ElementKind.Bool => "bool",
        ElementKind.Int => "int",
        ElementKind.Float => "float",
        ElementKind.Double => "double",
        ElementKind.Void => "void",
        _ => OtherName ?? "object",
    };

    /// <summary>The type as C# source, fully qualified.</summary>
    public string CSharp => Shape switch
    {
        Shape.Scalar => ElementKeyword,
        Shape.Array => ElementKeyword + "[]",
        Shape.Span => "global::System.Span<" + ElementKeyword + ">",
        _ => "global::System.ReadOnlySpan<" + ElementKeyword + ">",
    };

    public override string ToString() => CSharp;
}
