using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Code without a derivative (issue #13 item 2): calls of any kind, properties, fields, object creation, strings,
/// <c>throw</c>. It becomes an <see cref="Opaque"/> node, evaluated once where the user wrote it; its value is a
/// constant for differentiation. It is an error only where a value that depends on a differentiated input flows
/// through it into the result (<see cref="CheckOpaqueFlows"/>).
/// </summary>
internal sealed partial class BodyLowering
{
    private readonly Dictionary<Opaque, OpaqueSite> _opaqueSites = new(ReferenceComparer<Opaque>.Instance);

    /// <summary>Arrays and spans of the object's own or static members, read once at the top of the method.</summary>
    private readonly Dictionary<ISymbol, Var> _memberVectors = new(SymbolEqualityComparer.Default);
    private readonly List<Stmt> _prologue = new();

    /// <summary>Where an opaque piece of code came from: what to call it and whether it is a call (DG0009) or not (DG0008).</summary>
    private sealed record OpaqueSite(Location Location, string What, bool IsCall, string? Receiver, string? LambdaKind);

    /// <summary>Stands for <c>this</c> while a method of another object is inlined (null: the method's own <c>this</c>).</summary>
    private Expr? _receiver;

    private Opaque Site(Opaque code, IOperation operation, string what, bool isCall, Expr? receiver = null)
    {
        // Inside Gradient.StopGradient(…) and in a [NoDerivative] member nothing flows back by design: no check.
        if (_insideNoDerivative == 0 && !ReadsNoDerivativeMember(operation))
        {
            _opaqueSites[code] = new OpaqueSite(operation.Syntax.GetLocation(), what, isCall, (receiver as Var)?.Name, LambdaKindOf(operation));
        }

        return code;
    }

    /// <summary>A member chain (<c>model.Norm.RunningMean</c>) through a field or property marked [NoDerivative]: a constant.</summary>
    private static bool ReadsNoDerivativeMember(IOperation operation)
    {
        for (IOperation? at = operation; at is IMemberReferenceOperation member; at = member.Instance)
        {
            if (member.Member is IFieldSymbol or IPropertySymbol
                && member.Member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownTypeNames.NoDerivativeAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An operand of opaque code: implicit conversions to other types (boxing) are left to the compiler.</summary>
    private Expr LowerOperand(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion
            && TypeClassifier.Classify(conversion.Type).Element is ElementKind.Other)
        {
            operation = conversion.Operand;
        }

        return LowerExpr(operation);
    }

    /// <summary>Lowers what the IR has no node for as code evaluated as written.</summary>
    private Expr LowerOpaque(IOperation operation, TypeRef type)
    {
        // Code the compiler rejects is not copied: its error is the user's next step, and ours would only add noise.
        if (HasErrors(operation))
        {
            ReportUnsupported(operation, DiagnosticDescriptors.UnsupportedExpression);
            return Dummy(type);
        }

        if (type.Element is ElementKind.Other && !CanName(operation.Type))
        {
            ReportExpression(operation, "value of an anonymous type", "; use a named type or separate locals");
            return Dummy(type);
        }

        if (operation is IFieldReferenceOperation or IPropertyReferenceOperation && StableRead(operation, type) is { } stable)
        {
            return stable;
        }

        Expr code = operation switch
        {
            IInvocationOperation invocation => OpaqueCallOf(invocation, type),
            IPropertyReferenceOperation property when !property.Property.IsIndexer || property.Arguments.Length > 0 =>
                OpaqueMember(property, property.Property, property.Instance, property.Property.IsIndexer ? property.Arguments : ImmutableArray<IArgumentOperation>.Empty, type),
            IFieldReferenceOperation field => OpaqueMember(field, field.Field, field.Instance, ImmutableArray<IArgumentOperation>.Empty, type),
            _ => Verbatim(operation, type, isCall: false),
        };
        return code is Opaque { Type.IsScalar: true, Type.Element: ElementKind.Float or ElementKind.Double or ElementKind.Int } number
            ? EvaluatedOnce(number, operation)
            : code;
    }

    /// <summary>
    /// A number from opaque code is held in a local of its own: the reverse sweep reads it there instead of evaluating
    /// the code again (a second random.NextDouble() is another number).
    /// </summary>
    private Expr EvaluatedOnce(Opaque code, IOperation operation)
    {
        if (_noExtraction is not null)
        {
            // A loop condition or a right side of && only compares the number; a branch of ?: may need it again.
            if (code.Type.IsReal && _noExtraction.StartsWith("a branch", System.StringComparison.Ordinal))
            {
                Report(DiagnosticDescriptors.CallMustBeHoisted, operation.Syntax.GetLocation(), operation.Syntax.ToString(), _method.Name, _noExtraction);
                return Dummy(code.Type);
            }

            return code;
        }

        string name = _names.Unique(operation switch
        {
            IInvocationOperation invocation => Camel(invocation.TargetMethod.Name),
            IPropertyReferenceOperation { Property.IsIndexer: false } property => Camel(property.Property.Name),
            IFieldReferenceOperation field => Camel(field.Field.Name.TrimStart('_')),
            _ => "value",
        });
        _claimed.Add(name);
        _current.Add(new Declare(name, code.Type, code));
        return new Var(code.Type, name);
    }

    private static string Camel(string name) =>
        name.Length == 0 ? "value" : char.ToLowerInvariant(name[0]) + name.Substring(1);

    /// <summary>The operation's own text, with holes for the variables it reads.</summary>
    private Expr Verbatim(IOperation operation, TypeRef type, bool isCall)
    {
        if (operation.DescendantsAndSelf().Any(HeldInFields))
        {
            ReportExpression(operation, Describe(operation), "; it uses a struct that DiffGen holds field by field: pass its fields");
            return Dummy(type);
        }

        if (operation.DescendantsAndSelf().FirstOrDefault(ExistsOnlyAsElements) is { } elementsOnly)
        {
            // Reported once, at the reference (lowering it may have reported it already).
            Location at = elementsOnly.Syntax.GetLocation();
            if (!_diagnostics.Any(d => d.Location == at))
            {
                ReportExpression(elementsOnly, "a span view or a local matrix used other than by its elements", "; they exist only as elements of a vector: index them");
            }

            return Dummy(type);
        }

        (Opaque? code, string? problem) = VerbatimText.Of(operation.Syntax, type, SemanticModelFor(operation.Syntax), HoleFor, _receiver, _method.ContainingType);
        if (code is null)
        {
            ReportExpression(operation, Describe(operation), "; it uses " + problem);
            return Dummy(type);
        }

        return Site(code, operation, Describe(operation), isCall);
    }

    /// <summary>A reference to a struct replaced by its fields (no variable of the struct exists in the generated code).</summary>
    private bool HeldInFields(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => _structs.ContainsKey(local.Local),
        IParameterReferenceOperation parameter => _structs.ContainsKey(parameter.Parameter),
        IInstanceReferenceOperation => _structReceiver is not null,
        _ => false,
    };

    /// <summary>A span view or a local multi-dimensional array: no variable of it exists in the generated code.</summary>
    private bool ExistsOnlyAsElements(IOperation operation) =>
        ViewOf(operation) is not null || operation is ILocalReferenceOperation or IParameterReferenceOperation && GridOf(operation) is { } grid
            && (grid.IsLocal || operation is IParameterReferenceOperation { Parameter: var p } && !SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, _method));

    private SemanticModel SemanticModelFor(SyntaxNode syntax) =>
        syntax.SyntaxTree == _model.SyntaxTree ? _model : _model.Compilation.GetSemanticModel(syntax.SyntaxTree);

    /// <summary>The IR variable a symbol lowered to, if the body tracks it.</summary>
    private Expr? HoleFor(ISymbol symbol) => _variables.TryGetValue(symbol, out Var? v) ? v : null;

    private Expr OpaqueCallOf(IInvocationOperation invocation, TypeRef type)
    {
        IMethodSymbol target = invocation.TargetMethod;
        string what = "'" + target.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
        if (!Reachable(target) || target.IsGenericMethod && !target.TypeArguments.All(CanName))
        {
            return Verbatim(invocation, type, isCall: true);
        }

        var parts = new List<string>();
        var args = new List<Expr>();
        var written = new List<string>();
        Expr? receiver = null;
        string name = target.Name + TypeArgumentList(target);
        if (invocation.Instance is null || invocation.Instance is IInstanceReferenceOperation && _receiver is null)
        {
            parts.Add((target.IsStatic ? VerbatimText.Qualified(target.ContainingType) : "this") + "." + name + "(");
        }
        else
        {
            receiver = LowerOperand(invocation.Instance);
            parts.Add(string.Empty);
            args.Add(receiver);
            parts.Add("." + name + "(");
            if (receiver is Var { Type.IsVector: true } vector && !ReadOnlyMethods.Contains(target.Name) && vector.Type.Shape != Shape.ReadOnlySpan)
            {
                written.Add(vector.Name);
            }
        }

        bool first = true;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null)
            {
                continue;
            }

            string prefix = (first ? string.Empty : ", ") + argument.Parameter.Name + ": ";
            first = false;
            if (argument.Parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                ReportExpression(argument, "ref or out argument of " + what, "; assign its result to a local outside the [Differentiable] method");
                return Dummy(type);
            }

            if (argument.Parameter.RefKind != RefKind.None)
            {
                prefix += "in ";
            }

            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } elements } array)
            {
                parts[parts.Count - 1] += prefix + "new " + ((IArrayTypeSymbol)array.Type!).ElementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "[] { ";
                for (int i = 0; i < elements.ElementValues.Length; i++)
                {
                    args.Add(LowerOperand(elements.ElementValues[i]));
                    parts.Add(i + 1 < elements.ElementValues.Length ? ", " : " }");
                }

                if (elements.ElementValues.Length == 0)
                {
                    parts[parts.Count - 1] += "}";
                }

                continue;
            }

            // An array built in the argument (new[] { x, y }.Sum()) is part of the call's text.
            IOperation passed = argument.Value;
            while (passed is IConversionOperation { IsImplicit: true } conversion)
            {
                passed = conversion.Operand;
            }

            Expr value = passed.Type is { } passedType && TypeClassifier.Classify(passedType).IsVector && passed is not (ILocalReferenceOperation or IParameterReferenceOperation)
                ? Verbatim(argument.Value, new TypeRef(ElementKind.Other, Shape.Scalar, VerbatimText.Qualified(argument.Value.Type ?? passedType)), isCall: false)
                : LowerOperand(argument.Value);
            if (IsDummy(value))
            {
                return Dummy(type);
            }

            parts[parts.Count - 1] += prefix;
            args.Add(value);
            parts.Add(string.Empty);
            if (value is Var { Type.IsVector: true } vector && Writable(argument.Parameter.Type))
            {
                written.Add(vector.Name);
            }
        }

        parts[parts.Count - 1] += ")";
        var code = new Opaque(type, parts.ToEquatableArray(), args.ToEquatableArray(), written.Distinct().ToEquatableArray());
        return Site(code, invocation, what, isCall: true, receiver);
    }

    /// <summary>A field, property or indexer of an object or type.</summary>
    private Expr OpaqueMember(IOperation operation, ISymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> indexArgs, TypeRef type)
    {
        if (!Reachable(member))
        {
            return Verbatim(operation, type, isCall: false);
        }

        var parts = new List<string>();
        var args = new List<Expr>();
        Expr? receiver = null;
        string access = member is IPropertySymbol { IsIndexer: true } ? string.Empty : "." + member.Name;
        if (instance is null || instance is IInstanceReferenceOperation && _receiver is null)
        {
            parts.Add((member.IsStatic ? VerbatimText.Qualified(member.ContainingType) : "this") + access);
        }
        else
        {
            receiver = LowerOperand(instance);
            if (IsDummy(receiver))
            {
                return Dummy(type);
            }

            parts.Add(string.Empty);
            args.Add(receiver);
            parts.Add(access);
        }

        if (indexArgs.Length > 0)
        {
            parts[parts.Count - 1] += "[";
            for (int i = 0; i < indexArgs.Length; i++)
            {
                args.Add(LowerOperand(indexArgs[i].Value));
                parts.Add(i + 1 < indexArgs.Length ? ", " : "]");
            }
        }

        var code = new Opaque(type, parts.ToEquatableArray(), args.ToEquatableArray(), EquatableArray<string>.Empty);
        return Site(code, operation, "'" + member.Name + "'", isCall: false, receiver);
    }

    /// <summary>
    /// An array or span held by a field or property (<c>_weights</c>, <c>this.Targets</c>, <c>Model.Table</c>): a constant,
    /// read into a local once. The object's own and static members are read at the top of the method (the IR names a
    /// vector by a variable declared at the top level); another object's where the method reads them, at the top level.
    /// </summary>
    private Var? MemberVector(IOperation operation, TypeRef type)
    {
        (ISymbol? member, IOperation? instance) = MemberOf(operation);
        if (member is null || HasErrors(operation))
        {
            return null;
        }

        bool ownOrStatic = instance is null || instance is IInstanceReferenceOperation && _receiver is null;
        if (ownOrStatic && _memberVectors.TryGetValue(member, out Var? known))
        {
            return known;
        }

        if (!ownOrStatic && StableRead(operation, type) is { } stable)
        {
            return stable; // a readonly array of an object bound at the top level: read once, after the object
        }

        if (!ownOrStatic && (_nestingDepth > 0 || _inlining.Count > 0))
        {
            // An array of a data parameter read in a loop (batch.X[i]): read once at the top when nothing changes it.
            return StableRead(operation, type, unwrittenSuffices: true);
        }

        if (LowerOpaque(operation, new TypeRef(ElementKind.Other, Shape.Scalar, VerbatimText.Qualified(operation.Type!))) is not Opaque code)
        {
            return null;
        }

        var variable = new Var(type, _names.Unique(Camel(member.Name.TrimStart('_'))));
        _claimed.Add(variable.Name);
        var declaration = new Declare(variable.Name, type, code with { Type = type });
        _opaqueSites.Remove(code);
        if (ownOrStatic)
        {
            _memberVectors[member] = variable;
            _prologue.Add(declaration);
        }
        else
        {
            _current.Add(declaration);
        }

        return variable;
    }

    /// <summary>A statement run for its effect: a call whose result is dropped, a <c>throw</c>, a write to an object's member.</summary>
    private void LowerOpaqueStatement(IOperation operation)
    {
        if (HasErrors(operation))
        {
            ReportUnsupported(operation, DiagnosticDescriptors.UnsupportedStatement);
            return;
        }

        Expr code = operation switch
        {
            IInvocationOperation invocation => LowerOpaque(invocation, TypeRef.Void),
            IThrowOperation { Exception: { } exception } => ThrowOf(operation, exception),
            _ => Verbatim(operation, TypeRef.Void, isCall: false),
        };
        if (code is Opaque opaque)
        {
            if (DataRowWritten(operation) is { } data && _opaqueSites.TryGetValue(opaque, out OpaqueSite? site))
            {
                // xs[i][j] = v: the array of arrays now holds v, so a derivative is lost where it is read back.
                _opaqueSites[opaque] = site with { Receiver = data };
            }

            _current.Add(new Evaluate(opaque));
        }
    }

    /// <summary>The array of arrays whose row an assignment or increment writes (<c>xs[i][j] = v</c>), or null.</summary>
    private string? DataRowWritten(IOperation operation)
    {
        IOperation? target = operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            _ => null,
        };
        return target is IArrayElementReferenceOperation { ArrayReference: var row } && CollectionOfRow(row) is { } collection
            && WithoutConversions(collection) is ILocalReferenceOperation or IParameterReferenceOperation
            && LowerExpr(collection) is Var holder
            ? holder.Name
            : null;
    }

    /// <summary><c>throw e</c> as a statement, or as an expression of <paramref name="type"/> (<c>c ? x : throw e</c>, a switch arm).</summary>
    private Expr ThrowOf(IOperation operation, IOperation exception, TypeRef? type = null)
    {
        Expr value = LowerOperand(exception);
        if (IsDummy(value))
        {
            return value;
        }

        var code = new Opaque(type ?? TypeRef.Void, new[] { "throw ", string.Empty }.ToEquatableArray(), new[] { value }.ToEquatableArray(), EquatableArray<string>.Empty);
        return Site(code, operation, "throw", isCall: false);
    }

    /// <summary>
    /// A value that depends on a differentiated input may pass through opaque code only where no derivative is lost:
    /// into a string, a bool, an int, a call whose result is dropped. Objects that receive such a value carry it on
    /// (a later real read from them is the error). The error is located at the code that drops the derivative.
    /// </summary>
    private void CheckOpaqueFlows(Block body)
    {
        var wrt = _wrtNames.ToList();
        HashSet<string> varied = ActivityAnalysis.Varied(body, wrt);
        HashSet<string> useful = ActivityAnalysis.Useful(body, string.Empty);
        // A differentiated model is an object that holds varied values: what reads it other than through a leaf loses them.
        var objects = new HashSet<string>(_modelLeaves.Values.Select(l => l.Leaf!.Model));
        objects.UnionWith(DifferentiatedParameterGrids());
        objects.UnionWith(_rowHolders);
        foreach (KeyValuePair<ISymbol, (Var View, ModelTypes.StructArray Array)> array in _structArrays)
        {
            if (_wrtNames.Contains(array.Value.View.Name))
            {
                objects.Add(array.Key.Name); // the array itself, read other than element by element, loses the derivative
            }
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in IrWalk.Descendants(body))
            {
                foreach (Opaque code in OpaqueIn(statement))
                {
                    if (!ReadsVaried(code))
                    {
                        continue;
                    }

                    string? target = statement switch
                    {
                        Declare { Type.Element: ElementKind.Other } d when ReferenceEquals(d.Init, code) => d.Name,
                        Assign { Target: Var { Type.Element: ElementKind.Other } v } a when ReferenceEquals(a.Value, code) => v.Name,
                        Evaluate e when ReferenceEquals(e.Code, code) => _opaqueSites.TryGetValue(code, out OpaqueSite? site) ? site.Receiver : null,
                        _ => null,
                    };
                    if (target is not null && objects.Add(target))
                    {
                        changed = true;
                    }
                }
            }
        }

        HashSet<string> feeds = ResultInputs(body);
        foreach (Stmt statement in IrWalk.Descendants(body))
        {
            string? defined = statement switch
            {
                Declare d => d.Name,
                Assign a => IrWalk.TargetName(a.Target),
                _ => null,
            };
            foreach (Opaque code in OpaqueIn(statement))
            {
                // Also a call that reads a varied value and writes a real vector the result is computed from
                // (TensorPrimitives.Multiply(w, x, h) then a sum of h): what it writes has lost the derivative.
                bool losesDerivative = code.WrittenVectors.Any(varied.Contains)
                    || (ReadsVaried(code) && code.WrittenVectors.Any(v => feeds.Contains(v) && IsRealVector(body, v)))
                    || (code.Type.IsReal && ReadsVaried(code) && (statement is Return || (defined is not null && useful.Contains(defined))));
                if (losesDerivative && _opaqueSites.TryGetValue(code, out OpaqueSite? site))
                {
                    if (site.LambdaKind is not null)
                    {
                        Report(DiagnosticDescriptors.LambdaOrQuery, site.Location, site.LambdaKind, _method.Name);
                    }
                    else if (site.IsCall)
                    {
                        Report(DiagnosticDescriptors.CallWithoutDerivative, site.Location, site.What.Trim('\''));
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.UnsupportedExpression, site.Location, site.What, _method.Name,
                            "; a value that depends on a differentiated parameter flows through it, and it has no derivative");
                    }
                }
            }
        }

        bool ReadsVaried(Opaque code) => IrWalk.Reads(code).Overlaps(varied) || IrWalk.Reads(code).Overlaps(objects);
    }

    /// <summary>
    /// Every variable the result is computed from, through any code (opaque code included, unlike the activity
    /// analysis): what a returned value, and what computes a variable in the set, reads; an opaque call that writes a
    /// vector in the set reads its arguments into it.
    /// </summary>
    private static HashSet<string> ResultInputs(Block body)
    {
        var inputs = new HashSet<string>();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Stmt statement in IrWalk.Descendants(body))
            {
                IEnumerable<Expr> sources = statement switch
                {
                    Return { Value: { } value } => new[] { value },
                    Declare { Init: { } init } d when inputs.Contains(d.Name) => new[] { init },
                    Assign a when inputs.Contains(IrWalk.TargetName(a.Target)) => new[] { a.Value, a.Target },
                    Evaluate e when e.Code.WrittenVectors.Any(inputs.Contains) => new Expr[] { e.Code },
                    CallStmt c when (c.ResultVar is { } r && inputs.Contains(r)) || Differentiation.Analysis.ActivityAnalysis.OutputArgs(c.Call).Any(inputs.Contains) => c.Call.Args,
                    _ => Enumerable.Empty<Expr>(),
                };
                foreach (string name in sources.SelectMany(e => IrWalk.Reads(e)))
                {
                    changed |= inputs.Add(name);
                }
            }
        }

        return inputs;
    }

    private bool IsRealVector(Block body, string name) =>
        IrWalk.Descendants(body).OfType<Declare>().Any(d => d.Name == name && d.Type is { IsVector: true, IsReal: true })
        || _variables.Values.Any(v => v.Name == name && v.Type is { IsVector: true, IsReal: true });

    /// <summary>How DG0023 names a lambda, delegate call or LINQ in the code (null: there is none).</summary>
    private static string? LambdaKindOf(IOperation operation)
    {
        if (operation is IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke })
        {
            return "a call through a delegate";
        }

        IOperation? lambda = operation.DescendantsAndSelf().FirstOrDefault(UnsupportedConstructs.IsLambdaOrQuery);
        return lambda is null ? null : UnsupportedConstructs.LambdaKind(lambda);
    }

    private static IEnumerable<Opaque> OpaqueIn(Stmt statement) =>
        IrWalk.OwnExpressions(statement).SelectMany(IrWalk.SelfAndDescendants).OfType<Opaque>();

    /// <summary>Methods of spans and arrays that only read them.</summary>
    private static readonly HashSet<string> ReadOnlyMethods = new()
    {
        "ToArray", "ToString", "IndexOf", "LastIndexOf", "Contains", "SequenceEqual", "GetHashCode", "Equals", "GetEnumerator", "GetLength", "GetLowerBound", "GetUpperBound", "Clone",
    };

    private static bool Writable(ITypeSymbol? parameterType) =>
        parameterType is IArrayTypeSymbol
        || parameterType is INamedTypeSymbol { Name: "Span" or "Memory" or "Array", ContainingNamespace.Name: "System" }
        || parameterType is INamedTypeSymbol { Name: "IList" or "ICollection", ContainingNamespace.Name: "Generic" or "Collections" };

    /// <summary>True when the generated code (in the method's type) can use the member or type by name.</summary>
    private bool Reachable(ISymbol symbol) =>
        _model.Compilation.IsSymbolAccessibleWithin(symbol, _method.ContainingType)
        && (symbol.ContainingType is null || CanName(symbol.ContainingType));

    private static bool HasErrors(IOperation operation) =>
        operation.Syntax.ContainsDiagnostics || operation.DescendantsAndSelf().Any(o => o is IInvalidOperation || o.Type is { TypeKind: TypeKind.Error });

    private static bool CanName(ITypeSymbol? type) => type switch
    {
        null => false,
        { TypeKind: TypeKind.Error } => false,
        { IsAnonymousType: true } => false,
        IArrayTypeSymbol array => CanName(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.All(CanName) && (named.ContainingType is null || CanName(named.ContainingType)),
        IPointerTypeSymbol => false,
        _ => true,
    };

    private static string TypeArgumentList(IMethodSymbol method) =>
        method.IsGenericMethod ? "<" + string.Join(", ", method.TypeArguments.Select(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ">" : string.Empty;
}
