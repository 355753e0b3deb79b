using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace DiffGen.Generator.Ir;

/// <summary>Identity of IR nodes (records compare by value; an analysis needs to tell two equal statements apart).</summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
