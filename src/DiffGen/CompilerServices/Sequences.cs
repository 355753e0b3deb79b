using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;

namespace DiffGen.CompilerServices;

/// <summary>
/// Generated code's view of a sequence a <c>[Differentiable]</c> method loops over with <c>foreach</c>: the reverse sweep
/// visits the elements again by index, so a sequence that is not already a list is read into an array once per call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Sequences
{
    /// <summary>The sequence itself when it is a list or an array (nothing copied), else its elements in an array.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="sequence">What the user's <c>foreach</c> enumerates, enumerated at most once.</param>
    public static IReadOnlyList<T> AsList<T>(IEnumerable<T> sequence) => sequence as IReadOnlyList<T> ?? sequence.ToArray();
}
