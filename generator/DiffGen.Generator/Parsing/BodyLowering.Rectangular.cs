using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Multi-dimensional arrays (<c>double[,]</c>, <c>float[,,]</c>): a parameter a gradient names is read as the span of
/// its elements, a local <c>new double[n, m]</c> is a vector of n·m elements, and <c>a[i, j]</c> is element
/// <c>i·m + j</c> of it (.NET lays them out row-major). The extents the flat index needs are read once into locals.
/// </summary>
internal sealed partial class BodyLowering
{
    private readonly Dictionary<ISymbol, Grid> _grids = new(SymbolEqualityComparer.Default);

    /// <summary>A rectangular array as a vector: the vector, its rank, and the int locals holding its extents.</summary>
    /// <param name="IsLocal">A local the method creates (it exists only as the vector); a parameter is still the caller's array.</param>
    private sealed record Grid(Var Vector, int Rank, IReadOnlyList<Var> Extents, bool IsLocal);

    /// <summary>Declares the extents of the named parameter grids: loops bounded by them are counted loops.</summary>
    private void DeclareParameterGrids(IReadOnlyDictionary<string, (ParameterSpec View, ModelTypes.RectangularArray Array)>? views, IOperation body)
    {
        foreach (IParameterSymbol parameter in _method.Parameters)
        {
            if (views is null || !views.TryGetValue(parameter.Name, out (ParameterSpec View, ModelTypes.RectangularArray Array) view))
            {
                continue;
            }

            _claimed.Add(view.View.Name);
            foreach (IAssignmentOperation assignment in body.Descendants().OfType<IAssignmentOperation>()
                .Where(a => a.Target is IParameterReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Parameter, parameter)))
            {
                // Its elements were read once at the top: another array in its place would not be seen.
                Report(DiagnosticDescriptors.WriteToDifferentiatedInput, assignment.Syntax.GetLocation(), parameter.Name, _method.Name);
            }

            var extents = new List<Var>();
            for (int d = 0; d < view.Array.Rank; d++)
            {
                Var extent = ExtentLocal(parameter.Name, d, new OpaqueCall(TypeRef.Int, parameter.Name + ".GetLength", new Expr[] { LiteralFormatter.Int(d) }.ToEquatableArray()), _prologue);
                extents.Add(extent);
            }

            _grids[parameter] = new Grid(new Var(view.View.Type, view.View.Name), view.Array.Rank, extents, IsLocal: false);
        }
    }

    /// <summary><c>double[,] h = new double[n, m];</c> at the top level: the extents into locals, then a vector of n·m.</summary>
    private void LowerGridDeclarator(IVariableDeclaratorOperation declarator, ILocalSymbol local, IVariableInitializerOperation? initializer, ModelTypes.RectangularArray array)
    {
        var type = new TypeRef(array.Kind, Shape.Array);
        if (RefusedBelowTopLevel(declarator, local, type))
        {
            return;
        }

        IOperation? value = initializer?.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is not IArrayCreationOperation { Initializer: null } creation || creation.DimensionSizes.Length != array.Rank || IsReassigned(declarator, local))
        {
            ReportStatement(declarator, "multi-dimensional array " + local.Name, "; create it once with new " + array.Keyword + "[n, m] and do not assign it again");
            Claim(local, local.Name, type);
            return;
        }

        var extents = new List<Var>();
        Expr length = null!;
        for (int d = 0; d < array.Rank; d++)
        {
            Var extent = ExtentLocal(local.Name, d, LowerExpr(creation.DimensionSizes[d]), _current);
            extents.Add(extent);
            length = d == 0 ? extent : new Binary(TypeRef.Int, BinaryOp.Multiply, length, extent);
        }

        Var vector = Claim(local, local.Name, type);
        _current.Add(new Declare(vector.Name, type, new NewVector(type, length, Stack: false)) { Source = SourceText.OfDeclarator(declarator.Syntax) });
        _grids[local] = new Grid(vector, array.Rank, extents, IsLocal: true);
    }

    // Row 0 and row 1 written as literals read as h[i] and h[n + i]: the same affine forms the loop analyses know.
    private static Expr Times(Expr a, Expr b) => a is Literal { Text: "0" } ? a : a is Literal { Text: "1" } ? b : new Binary(TypeRef.Int, BinaryOp.Multiply, a, b);

    private static Expr Plus(Expr a, Expr b) => a is Literal { Text: "0" } ? b : b is Literal { Text: "0" } ? a : new Binary(TypeRef.Int, BinaryOp.Add, a, b);

    private Var ExtentLocal(string array, int dimension, Expr value, List<Stmt> into) =>
        DeclareInt(array + "Length" + dimension.ToString(System.Globalization.CultureInfo.InvariantCulture), value, into);

    /// <summary>The grid an operation names (a parameter or a local), or null.</summary>
    private Grid? GridOf(IOperation operation) =>
        VariableSymbol(operation) is { } symbol && _grids.TryGetValue(symbol, out Grid? grid) ? grid : null;

    /// <summary>What a grid's uses lower to; null when the operation is not about a grid.</summary>
    private Expr? LowerGridUse(IOperation operation, TypeRef type)
    {
        switch (operation)
        {
            case IArrayElementReferenceOperation element when GridOf(element.ArrayReference) is { } grid:
                {
                    Expr index = null!;
                    for (int d = 0; d < grid.Rank; d++)
                    {
                        Expr i = LowerExpr(element.Indices[d]);
                        if (IsDummy(i))
                        {
                            return Dummy(type);
                        }

                        index = d == 0 ? i : Plus(Times(index, grid.Extents[d]), i);
                    }

                    return new Elem(grid.Vector.Type.ElementType, grid.Vector.Name, index);
                }

            case IInvocationOperation { TargetMethod.Name: "GetLength", Instance: { } instance, Arguments.Length: 1 } call when GridOf(instance) is { } grid:
                return call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int dimension } && dimension >= 0 && dimension < grid.Rank
                    ? grid.Extents[dimension]
                    : Reported(call, "GetLength with a dimension that is not a constant", "; write the dimension as a literal");
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when GridOf(instance) is { } grid:
                return new LengthOf(grid.Vector.Name);
            case IPropertyReferenceOperation { Property.Name: "Rank", Instance: { } instance } when GridOf(instance) is { } grid:
                return LiteralFormatter.Int(grid.Rank);
            case ILocalReferenceOperation or IParameterReferenceOperation when GridOf(operation) is { } grid
                && (grid.IsLocal || operation is IParameterReferenceOperation { Parameter: var p } && !SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, _method)):
                // A local grid is only a vector now, and a helper's parameter bound to a grid has no array of its own.
                return Reported(operation, "a multi-dimensional array used other than by its elements, GetLength or Length", "; read and write it element by element in this method");
            default:
                return null;
        }

        Expr Reported(IOperation at, string what, string hint)
        {
            ReportExpression(at, what, hint);
            return Dummy(type);
        }
    }

    /// <summary>True for the element span of a parameter grid, which belongs to the caller.</summary>
    private bool IsParameterGrid(string vector) => _grids.Values.Any(g => !g.IsLocal && g.Vector.Name == vector);

    /// <summary>Parameter grids some gradient differentiates: read other than element by element, they lose the derivative.</summary>
    private IEnumerable<string> DifferentiatedParameterGrids() =>
        _grids.Where(g => !g.Value.IsLocal && _wrtNames.Contains(g.Value.Vector.Name)).Select(g => g.Key.Name);
}
