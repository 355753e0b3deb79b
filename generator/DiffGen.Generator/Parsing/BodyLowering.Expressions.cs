using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

internal sealed partial class BodyLowering
{
    private int _insideNoDerivative;

    private Expr LowerExpr(IOperation operation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        TypeRef type = TypeClassifier.Classify(operation.Type);
        if (operation.ConstantValue.HasValue && LiteralFormatter.FromConstant(operation.ConstantValue.Value, type) is { } literal)
        {
            return literal;
        }

        switch (operation)
        {
            case IIncrementOrDecrementOperation when _hoistedIncrements.TryGetValue(operation, out Expr? incremented):
                return incremented;
            case IArrayElementReferenceOperation or IInvocationOperation or IPropertyReferenceOperation or ILocalReferenceOperation when _grids.Count > 0 && LowerGridUse(operation, type) is { } gridUse:
                return gridUse;
            case IArrayElementReferenceOperation or IPropertyReferenceOperation or IImplicitIndexerReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation
                when _views.Count > 0 && LowerViewUse(operation, type) is { } viewUse:
                return viewUse;
            case ILocalReferenceOperation local:
                return VariableFor(local.Local, operation);
            case IParameterReferenceOperation parameter:
                return VariableFor(parameter.Parameter, operation);
            case IBinaryOperation binary:
                return LowerBinary(binary, type);
            case IUnaryOperation unary when unary.OperatorMethod is null && Scalar(type)
                && unary.OperatorKind is UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.Not:
                {
                    Expr operand = LowerExpr(unary.Operand);
                    return unary.OperatorKind switch
                    {
                        UnaryOperatorKind.Minus => new Unary(type, UnaryOp.Negate, operand),
                        UnaryOperatorKind.Plus => operand,
                        _ => new Unary(type, UnaryOp.Not, operand),
                    };
                }

            case IConversionOperation { Operand: IThrowOperation { Exception: { } thrown } } throwExpression:
                return ThrowOf(throwExpression, thrown, type);
            case IThrowOperation { Exception: { } thrown } throwExpression:
                return ThrowOf(throwExpression, thrown, type);
            case IConversionOperation conversion:
                return LowerConversion(conversion, type);
            case ISwitchExpressionOperation switchExpression when Scalar(type):
                return LowerSwitchExpression(switchExpression, type);
            case IConditionalOperation { WhenFalse: not null } conditional when Scalar(type):
                {
                    Expr condition = LowerExpr(conditional.Condition);
                    string? saved = _noExtraction;
                    _noExtraction ??= "a branch of ?:";
                    Expr whenTrue = ConvertTo(LowerExpr(conditional.WhenTrue), type);
                    Expr whenFalse = ConvertTo(LowerExpr(conditional.WhenFalse), type);
                    _noExtraction = saved;

                    // A constant condition (c ? a : b with c folded by the compiler) must not become an if (true) in
                    // the reverse sweep: C# would warn that the other branch is unreachable.
                    return condition is Literal { Text: "true" or "false" } constant
                        ? (constant.Text == "true" ? whenTrue : whenFalse)
                        : new Conditional(type, condition, whenTrue, whenFalse);
                }

            case IInvocationOperation invocation:
                return LowerInvocation(invocation, asStatement: false) ?? Dummy(type);
            case IInvalidOperation when TryLowerNestedCall(operation, asStatement: false, out Expr? nested):
                return nested ?? Dummy(type);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return LowerElement(element, element.ArrayReference, element.Indices[0], type);
            case IImplicitIndexerReferenceOperation { Instance: { } instance, Argument: var index } fromEnd when index is not IRangeOperation:
                // span[^k] (an Index on a span: Length and the int indexer); span[i] through an Index made from an int.
                return LowerElement(fromEnd, instance, index is IConversionOperation { Operand: var value } && value.Type?.SpecialType == SpecialType.System_Int32 ? value : index, type);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: not null, Arguments.Length: 1 } indexer:
                return LowerElement(indexer, indexer.Instance, indexer.Arguments[0].Value, type);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } array } when StructArray(array) is { } numbers:
                return StructCount(numbers.View, numbers.Array);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } layerLeaf } when PackedLeafPath(layerLeaf) is not null:
                return PackedLeafOf(layerLeaf)!.Length;
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: not null } length when !IsFlat(length.Instance.Type):
                {
                    Expr instance = LowerExpr(length.Instance);
                    if (instance is Var { Type.IsVector: true } vector)
                    {
                        return new LengthOf(vector.Name);
                    }

                    if (IsDummy(instance))
                    {
                        return Dummy(type);
                    }

                    break;
                }

            case IFieldReferenceOperation { Field.IsStatic: true, Field.IsReadOnly: true } field when type.IsRealScalar:
                return new StaticValue(type, field.Field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + field.Field.Name);
            case IParenthesizedOperation parenthesized:
                return LowerExpr(parenthesized.Operand);
            case IFieldReferenceOperation or IPropertyReferenceOperation when PackedLeafPath(operation) is not null:
                ReportExpression(operation, "a layer's leaf used whole", "; a leaf of a collection of layers is read element by element: index it (layer.W.Value[i]) or take its Length, in the method's own loops (docs/models.md)");
                return Dummy(type);
            case IFieldReferenceOperation or IPropertyReferenceOperation when MemberParameter(operation) is { } member:
                return member;
            case IPropertyReferenceOperation { Instance: { } complex } when IsComplex(complex.Type) && ComplexScalar(operation) is { } complexPart:
                return complexPart;
            case IFieldReferenceOperation or IPropertyReferenceOperation when StructField(operation) is { } field:
                return field;
            case IInstanceReferenceOperation when _receiver is not null:
                return _receiver;
        }

        if (WritesTrackedVariable(operation) is { } write)
        {
            ReportExpression(write, "assignment inside an expression", "; assign in a statement of its own");
            return Dummy(type);
        }

        if (type.IsVector)
        {
            if (operation is IFieldReferenceOperation or IPropertyReferenceOperation && IsDataRow(operation))
            {
                return LowerOpaque(operation, type); // batch[b].X: a row of data, read in place as xs[i] is
            }

            if (MemberVector(operation, type) is { } member)
            {
                return member;
            }

            ReportUnsupported(operation, DiagnosticDescriptors.UnsupportedExpression);
            return Dummy(type);
        }

        return LowerOpaque(operation, type);
    }

    /// <summary>An assignment, increment or out-variable inside an expression that writes a variable the IR tracks.</summary>
    private IOperation? WritesTrackedVariable(IOperation operation) =>
        operation.DescendantsAndSelf().FirstOrDefault(o => o switch
        {
            IDeclarationExpressionOperation => true,
            IAssignmentOperation a => Tracks(a.Target),
            IIncrementOrDecrementOperation i => Tracks(i.Target) && !_hoistedIncrements.ContainsKey(i),
            IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } arg => Tracks(arg.Value),
            _ => false,
        });

    /// <summary>The field or property (not an indexer) an operation reads, and the object it reads it from.</summary>
    private static (ISymbol? Member, IOperation? Instance) MemberOf(IOperation operation) => operation switch
    {
        IFieldReferenceOperation field => (field.Field, field.Instance),
        IPropertyReferenceOperation { Property.IsIndexer: false } property => (property.Property, property.Instance),
        _ => (null, null),
    };

    /// <summary>The variable of a field or property a gradient names, read on the method's own object or type.</summary>
    private Var? MemberParameter(IOperation operation)
    {
        if (_modelLeaves.Count > 0 && ModelPath(operation) is { } path && _modelLeaves.TryGetValue(path, out ParameterSpec? leaf))
        {
            return new Var(leaf.Type, leaf.Name);
        }

        (ISymbol? member, IOperation? instance) = MemberOf(operation);
        bool own = instance is null || instance is IInstanceReferenceOperation && _receiver is null;
        return member is not null && own && _members.ContainsKey(member) && _variables.TryGetValue(member, out Var? variable) ? variable : null;
    }

    /// <summary>
    /// The member chain an operation reads from a parameter (<c>model.Fc1.Weight</c>), the parameter named as the
    /// method's own (an inlined helper's parameter stands for the caller's variable it is bound to); null otherwise.
    /// </summary>
    private string? ModelPath(IOperation operation)
    {
        var parts = new List<string>();
        for (IOperation? at = operation; ;)
        {
            switch (at)
            {
                case IFieldReferenceOperation { Instance: { } instance } field:
                    parts.Add(field.Field.Name);
                    at = instance;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property:
                    parts.Add(property.Property.Name);
                    at = instance;
                    continue;
                case IInstanceReferenceOperation when _receiver is null:
                    parts.Add("this");
                    parts.Reverse();
                    return string.Join(".", parts);
                case IParameterReferenceOperation or ILocalReferenceOperation when _modelAliases.TryGetValue(Symbol(at), out string? alias):
                    parts.Add(alias);
                    parts.Reverse();
                    return string.Join(".", parts);
                case IParameterReferenceOperation reference when _variables.TryGetValue(reference.Parameter, out Var? bound):
                    parts.Add(bound.Name);
                    parts.Reverse();
                    return string.Join(".", parts);
                default:
                    return null;
            }
        }
    }

    /// <summary>Helper parameters and locals that stand for a part of a differentiated model, by its path (<c>model.Hidden</c>).</summary>
    private readonly Dictionary<ISymbol, string> _modelAliases = new(SymbolEqualityComparer.Default);

    private static ISymbol Symbol(IOperation reference) => reference switch
    {
        IParameterReferenceOperation p => p.Parameter,
        _ => ((ILocalReferenceOperation)reference).Local,
    };

    /// <summary>The path of a differentiated model or a part of it that holds leaves (<c>model</c>, <c>model.Hidden</c>); null otherwise.</summary>
    private string? ModelPart(IOperation operation)
    {
        operation = WithoutConversions(operation);

        if (_modelLeaves.Count == 0 || ModelPath(operation) is not { } path)
        {
            return null;
        }

        // A model (its leaves are path.…), or a differentiated array of arrays (its rows are the leaf path[].).
        string prefix = path + ".";
        string rows = path + "[].";
        return _modelLeaves.Keys.Any(k => k.StartsWith(prefix, System.StringComparison.Ordinal) || k == rows) ? path : null;
    }

    /// <summary>The outermost operation above <paramref name="operation"/> (the body it belongs to).</summary>
    private static IOperation RootOf(IOperation operation)
    {
        IOperation root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root;
    }

    /// <summary>The operand under implicit conversions (to a span, to <c>Array</c>, to <c>IEnumerable&lt;T&gt;</c>, …).</summary>
    private static IOperation WithoutConversions(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The local or parameter an operation reads (under implicit conversions), or null.</summary>
    private static ISymbol? VariableSymbol(IOperation operation) => WithoutConversions(operation) switch
    {
        ILocalReferenceOperation l => l.Local,
        IParameterReferenceOperation p => p.Parameter,
        _ => null,
    };

    /// <summary>
    /// True when a local is assigned anywhere after its declaration (in the body it belongs to), or, with
    /// <paramref name="byAssignment"/> false, only passed by ref or out.
    /// </summary>
    private static bool IsReassigned(IOperation declaration, ILocalSymbol local, bool byAssignment = true)
    {
        IOperation root = RootOf(declaration);

        return root.Descendants().Any(o => o switch
        {
            IAssignmentOperation { Target: ILocalReferenceOperation l } => byAssignment && SymbolEqualityComparer.Default.Equals(l.Local, local),
            IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: ILocalReferenceOperation l } => SymbolEqualityComparer.Default.Equals(l.Local, local),
            _ => false,
        });
    }

    private bool Tracks(IOperation target) => target switch
    {
        IFieldReferenceOperation or IPropertyReferenceOperation when MemberParameter(target) is not null || PackedLeafPath(target) is not null => true,
        IMemberReferenceOperation { Instance: { } instance } when IsFlat(instance.Type) => Tracks(instance),
        IInstanceReferenceOperation => _structReceiver is not null,
        ILocalReferenceOperation l => _variables.ContainsKey(l.Local) || _structs.ContainsKey(l.Local) || _views.ContainsKey(l.Local),
        IParameterReferenceOperation p => _variables.ContainsKey(p.Parameter) || _structs.ContainsKey(p.Parameter) || _views.ContainsKey(p.Parameter),
        IArrayElementReferenceOperation e when IsDataRow(e.ArrayReference) => false, // data: written as code without a derivative
        IArrayElementReferenceOperation e => Tracks(e.ArrayReference),
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } => Tracks(instance),
        IImplicitIndexerReferenceOperation { Instance: { } instance, Argument: not IRangeOperation } => Tracks(instance),
        ITupleOperation tuple => tuple.Elements.Any(Tracks),
        IDeclarationExpressionOperation => true,
        _ => false,
    };

    private static bool Scalar(TypeRef type) => type.IsScalar && type.Element is ElementKind.Int or ElementKind.Float or ElementKind.Double or ElementKind.Bool;

    /// <summary>Stands in for an expression already reported, so one mistake gives one diagnostic.</summary>
    private static Expr Dummy(TypeRef type) => new Literal(type, "default");

    private static bool IsDummy(Expr e) => e is Literal { Text: "default" };

    private Expr VariableFor(ISymbol symbol, IOperation operation)
    {
        if (_variables.TryGetValue(symbol, out Var? variable))
        {
            return variable;
        }

        ReportExpression(operation, "reference to '" + symbol.Name + "'", string.Empty);
        return Dummy(TypeClassifier.Classify((symbol as ILocalSymbol)?.Type ?? (symbol as IParameterSymbol)?.Type));
    }

    private Expr LowerBinary(IBinaryOperation binary, TypeRef type)
    {
        if (StructOperator(binary, binary.OperatorMethod, binary.LeftOperand, binary.RightOperand) is { } inlined)
        {
            return inlined;
        }

        if (binary.OperatorMethod is not null || !Scalar(type) || !TryMapBinary(binary.OperatorKind, out BinaryOp op)
            || !Scalar(TypeClassifier.Classify(binary.LeftOperand.Type)) || !Scalar(TypeClassifier.Classify(binary.RightOperand.Type)))
        {
            return LowerOpaque(binary, type);
        }

        Expr left = LowerExpr(binary.LeftOperand);
        Expr right;
        if (op is BinaryOp.And or BinaryOp.Or && binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
        {
            string? saved = _noExtraction;
            _noExtraction ??= "the right side of && or ||";
            right = LowerExpr(binary.RightOperand);
            _noExtraction = saved;
        }
        else
        {
            right = LowerExpr(binary.RightOperand);
        }

        if (op == BinaryOp.Remainder && type.IsReal)
        {
            ReportExpression(binary, "floating-point remainder", "; % is supported on int only");
        }

        if (binary.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr && type.Element == ElementKind.Bool)
        {
            op = binary.OperatorKind switch { BinaryOperatorKind.And => BinaryOp.BitAnd, BinaryOperatorKind.Or => BinaryOp.BitOr, _ => BinaryOp.BitXor };
        }

        return new Binary(type, op, left, right);
    }

    private static bool TryMapBinary(BinaryOperatorKind kind, out BinaryOp op)
    {
        (bool ok, op) = kind switch
        {
            BinaryOperatorKind.Add => (true, BinaryOp.Add),
            BinaryOperatorKind.Subtract => (true, BinaryOp.Subtract),
            BinaryOperatorKind.Multiply => (true, BinaryOp.Multiply),
            BinaryOperatorKind.Divide => (true, BinaryOp.Divide),
            BinaryOperatorKind.Remainder => (true, BinaryOp.Remainder),
            BinaryOperatorKind.LessThan => (true, BinaryOp.Less),
            BinaryOperatorKind.LessThanOrEqual => (true, BinaryOp.LessOrEqual),
            BinaryOperatorKind.GreaterThan => (true, BinaryOp.Greater),
            BinaryOperatorKind.GreaterThanOrEqual => (true, BinaryOp.GreaterOrEqual),
            BinaryOperatorKind.Equals => (true, BinaryOp.Equal),
            BinaryOperatorKind.NotEquals => (true, BinaryOp.NotEqual),
            BinaryOperatorKind.ConditionalAnd => (true, BinaryOp.And),
            BinaryOperatorKind.ConditionalOr => (true, BinaryOp.Or),
            BinaryOperatorKind.And => (true, BinaryOp.BitAnd),
            BinaryOperatorKind.Or => (true, BinaryOp.BitOr),
            BinaryOperatorKind.ExclusiveOr => (true, BinaryOp.BitXor),
            _ => (false, BinaryOp.Add),
        };
        return ok;
    }

    private Expr LowerConversion(IConversionOperation conversion, TypeRef type)
    {
        Expr operand = LowerExpr(conversion.Operand);

        // Array → Span → ReadOnlySpan (an operator method in metadata): the same elements; C# converts where used.
        if (type.IsVector && operand.Type.IsVector && type.Element == operand.Type.Element)
        {
            return operand;
        }

        if (IsDummy(operand))
        {
            return Dummy(type);
        }

        if (conversion.OperatorMethod is not null || operand.Type.Element is ElementKind.Other || type.Element is ElementKind.Other)
        {
            return conversion.IsImplicit && type.Element is ElementKind.Other ? operand : LowerOpaque(conversion, type);
        }

        if (operand.Type == type)
        {
            return operand;
        }

        if (type.IsScalar && operand.Type.IsScalar && Numeric(type) && Numeric(operand.Type))
        {
            return ConvertTo(operand, type);
        }

        ReportExpression(conversion, "conversion from " + operand.Type + " to " + type, string.Empty);
        return Dummy(type);
    }

    /// <summary>A one-dimensional array of float or double (a row of an array of arrays).</summary>
    private static bool IsRealArray(ITypeSymbol? type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single };

    /// <summary>
    /// <c>xs[i]</c> on an array or list of float or double arrays (<c>double[][]</c>, <c>List&lt;double[]&gt;</c>), which
    /// holds data: no derivative flows through it.
    /// </summary>
    private static bool IsRowOfArrayOfArrays(IOperation operation) => CollectionOfRow(operation) is not null;

    /// <summary>A row of an array or list of arrays that no gradient names: data, read in place.</summary>
    private bool IsDataRow(IOperation operation) => IsRowOfArrayOfArrays(operation) && PackedLeafPath(operation) is null;

    /// <summary>The array or list of arrays a row <c>xs[i]</c> is read from, or null when the operation is no such row.</summary>
    private static IOperation? CollectionOfRow(IOperation operation) => WithoutConversions(operation) switch
    {
        IArrayElementReferenceOperation { Indices.Length: 1 } row when IsRealArray(row.Type) && row.ArrayReference.Type is IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol } => row.ArrayReference,
        IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } list } row
            when IsRealArray(row.Type) && list.Type is INamedTypeSymbol && row.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 => list,
        // batch[b].X: an array held by a sample of a collection (a tuple, a record, a class); the collection holds data.
        IFieldReferenceOperation { Instance: { } sample } field when IsRealArray(field.Type) && ElementCollection(sample) is { } samples => samples,
        IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } sample } property when IsRealArray(property.Type) && ElementCollection(sample) is { } samples => samples,
        _ => null,
    };

    /// <summary>The array or list an element is read from (<c>batch[b]</c>), or null when the operation is no such element.</summary>
    private static IOperation? ElementCollection(IOperation operation) => WithoutConversions(operation) switch
    {
        IArrayElementReferenceOperation { Indices.Length: 1, ArrayReference: { Type: IArrayTypeSymbol { Rank: 1 } } array } => array,
        IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { Type: INamedTypeSymbol } list } element
            when element.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32 => list,
        _ => null,
    };

    private static bool Numeric(TypeRef type) => type.Element is ElementKind.Int or ElementKind.Float or ElementKind.Double;

    private Expr LowerElement(IOperation operation, IOperation instance, IOperation indexOperation, TypeRef type)
    {
        if (LowerLayerElement(instance, indexOperation, type) is { } layerElement)
        {
            return layerElement;
        }

        Expr array = LowerExpr(instance);
        // x[^k] on an array is x[x.Length - k] (spans get the same through their Length and indexer).
        Expr index = indexOperation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat, Operand: var fromEnd } && array is Var { Type.IsVector: true } counted
            ? new Binary(TypeRef.Int, BinaryOp.Subtract, new LengthOf(counted.Name), LowerExpr(fromEnd))
            : LowerExpr(indexOperation);
        if (IsDummy(array) || IsDummy(index))
        {
            return Dummy(type);
        }

        if (array is not Var { Type.IsVector: true } vector || index.Type != TypeRef.Int)
        {
            if (array is Opaque or Var { Type.Element: ElementKind.Other } && (!type.IsVector || IsRealArray(operation.Type)))
            {
                // An element of an object's array, or a row of an array of arrays (double[][] data: xs[i], xs[i][j]): a constant.
                return LowerOpaque(operation, type);
            }

            ReportExpression(operation, "element access on " + array.Type, "; index arrays and spans held in a local or parameter with an int");
            return Dummy(type);
        }

        return new Elem(vector.Type.ElementType, vector.Name, index);
    }

    private Expr LowerTarget(IOperation target)
    {
        Expr lowered = LowerExpr(target);
        if (IsDummy(lowered))
        {
            return lowered;
        }

        string? written = lowered switch
        {
            Var v => v.Name,
            Elem e => e.Array,
            _ => null,
        };
        if (written is null || lowered is Var { Type.IsVector: true })
        {
            ReportExpression(target, "assignment target " + Describe(target), string.Empty);
        }
        else if (lowered is Elem && IsParameterGrid(written))
        {
            // The elements of a multi-dimensional array a gradient names belong to the caller.
            Report(DiagnosticDescriptors.WriteToDifferentiatedInput, target.Syntax.GetLocation(), (target as IArrayElementReferenceOperation)?.ArrayReference.Syntax.ToString() ?? written, _method.Name);
        }
        else if (_members.Values.Any(m => m.Name == written) || _modelLeaves.Values.Any(m => m.Name == written) || lowered is Elem && _wrtNames.Contains(written) && _method.Parameters.Any(p => p.Name == written))
        {
            // A scalar parameter is a local like any other (its adjoint ends as the gradient of its incoming value);
            // the elements of a differentiated vector belong to the caller.
            ParameterSpec? leaf = _modelLeaves.Values.FirstOrDefault(m => m.Name == written);
            Report(DiagnosticDescriptors.WriteToDifferentiatedInput, target.Syntax.GetLocation(), leaf?.Leaf is { } at ? at.Display : written, _method.Name);
        }

        return lowered;
    }

    /// <summary>Converts with C# numeric semantics; literals are re-spelled instead of wrapped.</summary>
    private static Expr ConvertTo(Expr value, TypeRef type)
    {
        if (value.Type == type || !type.IsScalar || !value.Type.IsScalar)
        {
            return value;
        }

        if (value is Literal literal && type.IsReal && LiteralFormatter.ValueOf(literal) is double v)
        {
            return LiteralFormatter.Real(v, type);
        }

        return new Model.Convert(type, value);
    }

    private static TypeRef Wider(TypeRef a, TypeRef b)
    {
        if (a.Element == ElementKind.Double || b.Element == ElementKind.Double)
        {
            return TypeRef.Double;
        }

        return a.Element == ElementKind.Float || b.Element == ElementKind.Float ? TypeRef.Float : a;
    }

    /// <param name="invocation">The call.</param>
    /// <param name="layerSlices">A call with a derivative: a layer's leaf passed to a read-only span is its slice of the packed vector.</param>
    private List<Expr> LowerArguments(IInvocationOperation invocation, bool layerSlices = false)
    {
        var args = new List<Expr>();
        foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.Parameter is { RefKind: not RefKind.None } || argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                ReportExpression(argument, "ref, out or params argument", string.Empty);
            }

            TypeRef parameterType = TypeClassifier.Classify(argument.Parameter?.Type);
            if (layerSlices && parameterType is { IsRealVector: true, Shape: Shape.ReadOnlySpan } && (LayerSlice(argument.Value) ?? ViewArgument(argument.Value, parameterType)) is { } slice)
            {
                args.Add(slice);
                continue;
            }

            if (parameterType.IsVector && _noExtraction is null && IsDataRow(argument.Value))
            {
                // A row of data (Loss(xs[n], labels[n])): held in a local, as the callee's vector parameter needs a variable.
                args.Add(ConvertTo(DeclareLocal("row", TypeClassifier.Classify(WithoutConversions(argument.Value).Type), LowerExpr(argument.Value)), parameterType));
                continue;
            }

            args.Add(ConvertTo(LowerExpr(argument.Value), parameterType));
        }

        return args;
    }

    private Expr? LowerInvocation(IInvocationOperation invocation, bool asStatement)
    {
        IMethodSymbol target = invocation.TargetMethod;
        TypeRef type = TypeClassifier.Classify(target.ReturnType);
        if (NumericsVectorScalar(invocation) is { } numerics)
        {
            return numerics;
        }

        if (ComplexScalar(invocation) is { } complexPart)
        {
            return complexPart;
        }

        if (MathFunctions.TryGet(target, out MathFn fn))
        {
            var math = new MathCall(type, fn, LowerArguments(invocation).ToEquatableArray());
            MathCallSites.Add((math, invocation.Syntax.GetLocation()));
            return math;
        }

        if (SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, _method.OriginalDefinition)
            && (!target.IsStatic || invocation.Instance is not null || CalleeResolver.Resolve(target, _method, string.Empty) is null))
        {
            Report(DiagnosticDescriptors.RecursionNotSupported, invocation.Syntax.GetLocation(), _method.Name);
            return Dummy(type);
        }

        if (LowerLinq(invocation, type) is { } linq)
        {
            return linq;
        }

        if (UnsupportedConstructs.IsLambdaOrQuery(invocation) || !target.IsStatic || invocation.Instance is not null)
        {
            return InlinedBody(target) is { } instanceBody
                ? InlineCall(invocation, target, instanceBody, type, asStatement)
                : OpaqueInvocation(invocation, type, asStatement);
        }

        string qualifiedName = CalleeResolver.QualifiedName(target);
        if (HasAttribute(target, KnownTypeNames.NoDerivativeAttribute))
        {
            // Nothing flows back through the arguments (Gradient.StopGradient(f(x)) silences DG0009 for f).
            _insideNoDerivative++;
            if (asStatement)
            {
                // Run for its effect (a counter, a log line), as the user's method does.
                Expr? evaluated = OpaqueInvocation(invocation, type, asStatement: true);
                _insideNoDerivative--;
                return evaluated;
            }

            List<Expr> constantArgs = LowerArguments(invocation);
            _insideNoDerivative--;
            return new OpaqueCall(type, qualifiedName, constantArgs.ToEquatableArray());
        }

        CallSpec? spec = CalleeResolver.Resolve(target, _method, qualifiedName);
        if (spec is not null && invocation.Arguments.Any(a => ModelPart(a.Value) is not null || StructArray(a.Value) is not null))
        {
            // A differentiable callee handed a model or an array of structs: a pullback takes no gradient object from
            // this caller, so the body is inlined (the gradient then flows through the leaves); without a body, say so.
            if (!spec.IsRegisteredPullback && InlinedBody(target) is { } modelBody)
            {
                return InlineCall(invocation, target, modelBody, type, asStatement);
            }

            ReportExpression(invocation, "call that passes a model or an array of structs to a method whose body DiffGen cannot read", "; pass the arrays or numbers it needs instead");
            return Dummy(type);
        }

        if (spec is not null && !spec.IsRegisteredPullback && invocation.Arguments.Any(a => IsSliceForm(a.Value)) && InlinedBody(target) is { } viewBody)
        {
            // A differentiable callee handed part of a vector (a sample's row, a segment): inlined, so the slice stays a
            // window on the caller's vector and the gradient lands in the caller's elements.
            return InlineCall(invocation, target, viewBody, type, asStatement);
        }

        if (spec is null && Parser.IsGeneratedByDiffGen(target))
        {
            // A generated gradient, pullback or pushforward: nested differentiation (the generator sees the same call
            // unbound and lowers it the same way, from the syntax).
            if (TryLowerNestedCall(invocation, asStatement, out Expr? nested))
            {
                return nested;
            }

            Report(DiagnosticDescriptors.DerivativeCallCannotNest, invocation.Syntax.GetLocation(), target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), _method.Name,
                "DiffGen cannot tell which method it derives from; compute it outside the differentiated method or mark the call's result with StopGradient");
            return Dummy(type);
        }

        if (spec is null)
        {
            // A registered derivative with the wrong signature (DG0018) is not silently replaced by the body.
            return !CalleeResolver.HasRegistration(target, _method) && InlinedBody(target) is { } body
                ? InlineCall(invocation, target, body, type, asStatement)
                : OpaqueInvocation(invocation, type, asStatement);
        }

        List<Expr> args = LowerArguments(invocation, layerSlices: true);
        for (int i = 0; i < args.Count; i++)
        {
            if (spec.ParameterTypes[i].IsVector && args[i] is not (Var { Type.IsVector: true } or SliceOf))
            {
                ReportExpression(invocation, "vector argument that is not a variable", IsSliceForm(invocation.Arguments[i].Value)
                    ? "; an output span of a registered derivative (Ops, [DerivativeOf]) takes a whole vector: pass an array or span variable (read-only inputs take slices)"
                    : "; pass an array or span variable");
                return Dummy(type);
            }

            if (spec.ParameterTypes[i].Shape == Shape.Span && args[i] is Var written && _wrtNames.Contains(written.Name) && _method.Parameters.Any(p => p.Name == written.Name))
            {
                Report(DiagnosticDescriptors.WriteToDifferentiatedInput, invocation.Arguments[i].Syntax.GetLocation(), written.Name, _method.Name);
            }
        }

        spec = spec with { Args = args.ToEquatableArray() };
        if (!CallLocations.ContainsKey(qualifiedName))
        {
            CallLocations[qualifiedName] = invocation.Syntax.GetLocation();
        }

        if (asStatement)
        {
            _current.Add(new CallStmt(null, spec));
            return null;
        }

        if (_noExtraction is not null)
        {
            Report(DiagnosticDescriptors.CallMustBeHoisted, invocation.Syntax.GetLocation(), target.Name, _method.Name, _noExtraction);
            return Dummy(type);
        }

        string result = _names.Unique(char.ToLowerInvariant(target.Name[0]) + target.Name.Substring(1));
        _claimed.Add(result);
        _current.Add(new CallStmt(result, spec));
        return new Var(type, result);
    }

    /// <summary>A call without a derivative: evaluated as written (as a statement when its result is dropped).</summary>
    private Expr? OpaqueInvocation(IInvocationOperation invocation, TypeRef type, bool asStatement)
    {
        if (WritesTrackedVariable(invocation) is { } write)
        {
            ReportExpression(write, "ref, out or assignment inside a call without a derivative", "; assign its result in a statement of its own");
            return Dummy(type);
        }

        Expr code = LowerOpaque(invocation, type);
        if (!asStatement)
        {
            return code;
        }

        if (code is Opaque opaque)
        {
            _current.Add(new Evaluate(opaque));
        }

        return null;
    }

    internal static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);
}
