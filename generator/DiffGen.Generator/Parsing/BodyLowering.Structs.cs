using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// User structs as values (issue #13 item 5): a struct declared in source whose instance fields are all numbers or
/// bools (a Vector3, a Complex, a record struct) is replaced by its fields — each local of the struct becomes one
/// scalar local per field (scalar replacement of aggregates), so every later pass sees plain numbers. Constructors,
/// methods, computed properties and operators written in source are inlined with the struct as their receiver or
/// arguments; a method that returns a struct ends with its one <c>return</c>.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary>A struct value: each field's value, in declaration order.</summary>
    private sealed class StructValue
    {
        public StructValue(INamedTypeSymbol type, List<(IFieldSymbol Field, Expr Value)> fields)
        {
            Type = type;
            Fields = fields;
        }

        public INamedTypeSymbol Type { get; }

        public List<(IFieldSymbol Field, Expr Value)> Fields { get; }

        /// <summary>A temporary nobody else holds (a new struct, a call's result): a local may take its variables over.</summary>
        public bool Fresh { get; set; }

        // By name: a field's name is unique in its type, and a tuple's elements are Item1… whatever they are called.
        public Expr? this[IFieldSymbol field] =>
            Fields.FirstOrDefault(f => f.Field.Name == (field.CorrespondingTupleField ?? field).Name).Value;
    }

    /// <summary>Struct locals and bound struct parameters, each held in one variable per field.</summary>
    private readonly Dictionary<ISymbol, StructValue> _structs = new(SymbolEqualityComparer.Default);

    /// <summary>The struct a constructor, method or property being inlined runs on.</summary>
    private StructValue? _structReceiver;

    /// <summary>The instance fields of a struct that can be flattened, or null.</summary>
    private static List<IFieldSymbol>? FlatFields(ITypeSymbol? type)
    {
        List<IFieldSymbol> fields;
        if (type is INamedTypeSymbol { IsTupleType: true } tuple && tuple.TupleElements.Length <= 7)
        {
            fields = tuple.TupleElements.Select(e => e.CorrespondingTupleField ?? e).ToList();
        }
        else if (IsComplex(type) && s_complexParts is { } parts)
        {
            fields = parts;
        }
        else if (type is INamedTypeSymbol { TypeKind: TypeKind.Struct, IsGenericType: false } named && (named.DeclaringSyntaxReferences.Length > 0 || IsNumericsVector(named)))
        {
            fields = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
        }
        else
        {
            return null;
        }

        return fields.Count > 0 && fields.All(f => TypeClassifier.Classify(f.Type) is { IsScalar: true, Element: ElementKind.Float or ElementKind.Double or ElementKind.Int or ElementKind.Bool })
            ? fields
            : null;
    }

    private static bool IsFlat(ITypeSymbol? type) => FlatFields(type) is not null;

    /// <summary>The field behind <paramref name="member"/> (itself, or an auto-property's backing field).</summary>
    private static IFieldSymbol? FieldOf(ISymbol member, ITypeSymbol type) => member switch
    {
        IPropertySymbol { Name: "Real" or "Imaginary" } part when IsComplex(type) && s_complexParts is { } parts => parts[part.Name == "Real" ? 0 : 1],
        IFieldSymbol field => field.CorrespondingTupleField ?? field,
        IPropertySymbol property => type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property)),
        _ => null,
    };

    /// <summary>Fresh variables for a struct, declared with <paramref name="value"/>'s fields (or zeros).</summary>
    private StructValue DeclareStruct(string name, INamedTypeSymbol type, StructValue? value)
    {
        var fields = new List<(IFieldSymbol, Expr)>();
        foreach (IFieldSymbol field in FlatFields(type)!)
        {
            TypeRef fieldType = TypeClassifier.Classify(field.Type);
            string fieldName = type.IsTupleType
                ? type.TupleElements.First(e => (e.CorrespondingTupleField ?? e).Name == field.Name).Name
                : IsComplex(type) ? (fields.Count == 0 ? "Real" : "Imaginary")
                : field.AssociatedSymbol?.Name ?? field.Name.TrimStart('_');
            string variable = _names.Unique(name + char.ToUpperInvariant(fieldName[0]) + fieldName.Substring(1));
            _claimed.Add(variable);
            Expr init = value?[field] is { } given ? ConvertTo(given, fieldType) : DefaultOf(fieldType)!;
            _current.Add(new Declare(variable, fieldType, init));
            fields.Add((field, new Var(fieldType, variable)));
        }

        return new StructValue(type, fields);
    }

    private StructValue ZeroStruct(INamedTypeSymbol type) =>
        new(type, FlatFields(type)!.Select(f => (f, DefaultOf(TypeClassifier.Classify(f.Type))!)).ToList());

    /// <summary>A struct local: declared field by field.</summary>
    private bool LowerStructDeclarator(ILocalSymbol local, IVariableInitializerOperation? initializer)
    {
        var type = (INamedTypeSymbol)local.Type;
        StructValue? value = initializer is null ? null : LowerStruct(initializer.Value);
        if (initializer is not null && value is null)
        {
            return false;
        }

        if (value is { Fresh: true })
        {
            value.Fresh = false; // the local owns these variables now
            _structs[local] = value;
            return true;
        }

        _structs[local] = DeclareStruct(local.Name, type, value);
        return true;
    }

    /// <summary><c>a = b</c> for struct locals: every field, from values computed before any is written.</summary>
    private void LowerStructAssignment(ISimpleAssignmentOperation assignment) =>
        AssignStruct(assignment, LowerStruct(assignment.Target), LowerStruct(assignment.Value));

    /// <summary>
    /// <c>a += b</c> (and <c>-=</c>, <c>*=</c>, <c>/=</c>) on a struct local: the operator as <c>a + b</c> would run it
    /// (written in source, or a System.Numerics vector's or Complex's), then stored field by field.
    /// </summary>
    private void LowerStructCompoundAssignment(ICompoundAssignmentOperation compound)
    {
        var type = (INamedTypeSymbol)compound.Target.Type!;
        StructValue? target = LowerStruct(compound.Target);
        StructValue? value = compound switch
        {
            _ when IsComplex(type) => ComplexArithmetic(type, compound.OperatorKind, compound.Target, compound.Value),
            _ when IsNumericsVector(type) && compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide =>
                Componentwise(type, Arithmetic(compound.OperatorKind), compound.Target, compound.Value),
            { OperatorMethod: { } method } when InlinedBody(method) is { } body =>
                InlineStructCall(compound, method, null, ImmutableArray<IArgumentOperation>.Empty, body, compound.Target, compound.Value),
            _ => null,
        };
        if (value is null && target is not null)
        {
            ReportExpression(compound, "compound assignment '" + compound.OperatorKind + "' of this struct", "; write a = a op b with an operator written in source");
        }

        AssignStruct(compound, target, value);
    }

    private void AssignStruct(IAssignmentOperation assignment, StructValue? target, StructValue? value)
    {
        if (target is null || value is null)
        {
            return;
        }

        if (target.Fields.Any(f => f.Value is not Var))
        {
            ReportExpression(assignment.Target, "assignment to a struct that is not a local", "; assign to a local");
            return;
        }

        StructValue held = value.Fields.Any(f => f.Value is not (Var or Literal)) ? DeclareStruct("next", value.Type, value) : value;
        foreach ((IFieldSymbol field, Expr variable) in target.Fields)
        {
            _current.Add(new Assign(variable, ConvertTo(held[field]!, variable.Type)));
        }
    }

    /// <summary>A struct-typed expression as its fields' values, or null after a diagnostic.</summary>
    private StructValue? LowerStruct(IOperation operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local when _structs.TryGetValue(local.Local, out StructValue? value):
                return value;
            case IParameterReferenceOperation parameter when _structs.TryGetValue(parameter.Parameter, out StructValue? value):
                return value;
            case IInstanceReferenceOperation when _structReceiver is not null:
                return _structReceiver;
            case IParenthesizedOperation parenthesized:
                return LowerStruct(parenthesized.Operand);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when StructArray(element.ArrayReference) is { } numbers:
                return StructElement(numbers.View, numbers.Array, LowerExpr(element.Indices[0]));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } span } element when StructArray(span) is { } numbers:
                return StructElement(numbers.View, numbers.Array, LowerExpr(element.Arguments[0].Value));
            case IConversionOperation { IsImplicit: true } conversion when SymbolEqualityComparer.Default.Equals(conversion.Type, conversion.Operand.Type):
                return LowerStruct(conversion.Operand);
            case { } numerics when IsNumericsVector(numerics.Type) && LowerNumericsVector(numerics) is { } vector:
                return vector;
            case { } complex when IsComplex(complex.Type) && LowerComplex(complex) is { } value:
                return value;
            case IDefaultValueOperation:
                return ZeroStruct((INamedTypeSymbol)operation.Type!);
            case ITupleOperation tuple:
                return TupleValue((INamedTypeSymbol)tuple.Type!, tuple);
            case IConversionOperation { Operand: ITupleOperation tuple } conversion when IsFlat(conversion.Type):
                return TupleValue((INamedTypeSymbol)conversion.Type!, tuple);
            case IObjectCreationOperation creation:
                return LowerStructCreation(creation);
            case IInvocationOperation invocation when InlinedBody(invocation.TargetMethod) is { } body:
                return InlineStructCall(invocation, invocation.TargetMethod, invocation.Instance, invocation.Arguments, body);
            case IBinaryOperation { OperatorMethod: { } method } binary when InlinedBody(method) is { } body:
                return InlineStructCall(binary, method, null, ImmutableArray<IArgumentOperation>.Empty, body, binary.LeftOperand, binary.RightOperand);
            case IUnaryOperation { OperatorMethod: { } method } unary when InlinedBody(method) is { } body:
                return InlineStructCall(unary, method, null, ImmutableArray<IArgumentOperation>.Empty, body, unary.Operand);
            case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property when FieldOf(property.Property, property.Property.ContainingType) is null
                && property.Property.GetMethod is { } getter && InlinedBody(getter) is { } body:
                return InlineStructCall(property, getter, instance, ImmutableArray<IArgumentOperation>.Empty, body);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                {
                    Expr condition = LowerExpr(conditional.Condition);
                    StructValue? whenTrue = LowerStruct(conditional.WhenTrue);
                    StructValue? otherwise = LowerStruct(whenFalse);
                    return whenTrue is null || otherwise is null ? null
                        : new StructValue(whenTrue.Type, whenTrue.Fields.Select(f => (f.Field, (Expr)new Conditional(f.Value.Type, condition, f.Value, otherwise[f.Field]!))).ToList());
                }

            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } when DataStructElement(operation) is { } data:
                return data;
            default:
                ReportExpression(operation, "struct value of this kind", "; build it with new, a local, or a method written in source");
                return null;
        }
    }

    /// <summary>
    /// <c>samples[i]</c> of an array or list of structs of numbers (tuples, record structs) that a parameter holds as data:
    /// not differentiated and never written in the method, so each field is read where it is used (no derivative flows
    /// into the collection). Null for any other element.
    /// </summary>
    private StructValue? DataStructElement(IOperation element)
    {
        if (element.Type is not INamedTypeSymbol structType || !IsFlat(structType) || IsComplex(structType) || IsNumericsVector(structType)
            || ElementCollection(element) is not { } collection || WithoutConversions(collection) is not IParameterReferenceOperation { Parameter: var parameter }
            || _wrtNames.Contains(parameter.Name) || _inlining.Count > 0 || ElementOrMemberWritten(RootOf(element), parameter))
        {
            return null;
        }

        var type = new TypeRef(ElementKind.Other, Shape.Scalar, VerbatimText.Qualified(structType));
        if (LowerOpaque(element, type) is not Opaque sample)
        {
            return null;
        }

        var fields = FlatFields(structType)!.Select(f => (f, (Expr)new Opaque(
            TypeClassifier.Classify(f.Type),
            new[] { string.Empty, "." + MemberName(structType, f) }.ToEquatableArray(),
            new Expr[] { sample }.ToEquatableArray(),
            EquatableArray<string>.Empty))).ToList();
        return new StructValue(structType, fields);
    }

    /// <summary>How code outside the struct names one of its flat fields: <c>ItemN</c> of a tuple, a property's name for its backing field.</summary>
    private static string MemberName(INamedTypeSymbol type, IFieldSymbol field)
    {
        if (type.IsTupleType)
        {
            int k = type.TupleElements.ToList().FindIndex(e => (e.CorrespondingTupleField ?? e).Name == (field.CorrespondingTupleField ?? field).Name);
            return "Item" + (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return field.AssociatedSymbol is IPropertySymbol property ? property.Name : field.Name;
    }

    /// <summary>Whether the method assigns an element of the parameter, or a member of one (<c>a[i] = …</c>, <c>a[i].X = …</c>).</summary>
    private static bool ElementOrMemberWritten(IOperation root, IParameterSymbol parameter)
    {
        bool IsElement(IOperation? target)
        {
            while (target is IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false } && MemberOf(target).Instance is { } owner)
            {
                target = owner;
            }

            return target is not null && ElementCollection(target) is { } collection
                && WithoutConversions(collection) is IParameterReferenceOperation { Parameter: var p } && SymbolEqualityComparer.Default.Equals(p, parameter);
        }

        return root.Descendants().Any(o => IsElement(WrittenTarget(o)));
    }

    /// <summary>
    /// A struct parameter of the [Differentiable] method as a value: each field is the model leaf that holds it when the
    /// parameter is differentiated (<c>[Differentiable(nameof(axis))]</c>), else a constant read of the parameter's member
    /// (<c>axis.X</c>). Null when a member cannot be named from the generated code.
    /// </summary>
    private StructValue? ParameterStruct(IParameterSymbol parameter)
    {
        var type = (INamedTypeSymbol)parameter.Type;
        var fields = new List<(IFieldSymbol, Expr)>();
        foreach (IFieldSymbol field in FlatFields(type)!)
        {
            ISymbol member = IsComplex(type) ? type.GetMembers(fields.Count == 0 ? "Real" : "Imaginary").First() : field.AssociatedSymbol ?? field;
            TypeRef fieldType = TypeClassifier.Classify(field.Type);
            if (_modelLeaves.TryGetValue(parameter.Name + "." + member.Name, out ParameterSpec? leaf))
            {
                fields.Add((field, new Var(leaf.Type, leaf.Name)));
            }
            else if (_model.Compilation.IsSymbolAccessibleWithin(member, _method.ContainingType) && !type.IsTupleType)
            {
                fields.Add((field, new StaticValue(fieldType, parameter.Name + "." + member.Name)));
            }
            else
            {
                return null;
            }
        }

        return new StructValue(type, fields);
    }

    /// <summary>Element i of an array of structs read as numbers: field k is number <c>i·fields + k</c> of the view.</summary>
    private StructValue StructElement(Var view, ModelTypes.StructArray array, Expr position)
    {
        Expr index = Held(position, "index");
        var start = new Binary(TypeRef.Int, BinaryOp.Multiply, index, new Literal(TypeRef.Int, array.Fields.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        List<IFieldSymbol> fields = FlatFields(array.Element)!;
        return new StructValue(array.Element, fields.Select((f, k) => (f, (Expr)new Elem(
            TypeClassifier.Classify(f.Type),
            view.Name,
            k == 0 ? start : new Binary(TypeRef.Int, BinaryOp.Add, start, new Literal(TypeRef.Int, k.ToString(System.Globalization.CultureInfo.InvariantCulture)))))).ToList());
    }

    /// <summary>
    /// The numbers of an array of structs a parameter holds: the method's own parameter, or an inlined helper's parameter
    /// bound to it. Null for anything else.
    /// </summary>
    private (Var View, ModelTypes.StructArray Array)? StructArray(IOperation operation)
    {
        operation = WithoutConversions(operation);

        if (operation is not IParameterReferenceOperation { Parameter: var parameter } || _structArrays.Count == 0)
        {
            return null;
        }

        if (_structArrays.TryGetValue(parameter, out (Var View, ModelTypes.StructArray Array) own))
        {
            return own;
        }

        return _variables.TryGetValue(parameter, out Var? bound) && _structArrays.FirstOrDefault(a => a.Key.Name == bound.Name) is { Key: not null } caller
            ? caller.Value
            : null;
    }

    /// <summary>The number of structs in an array of structs read as numbers: its numbers over the fields per struct.</summary>
    private static Expr StructCount(Var view, ModelTypes.StructArray array) =>
        new Binary(TypeRef.Int, BinaryOp.Divide, new LengthOf(view.Name), new Literal(TypeRef.Int, array.Fields.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary><c>foreach (var v in positions)</c> over an array of structs: an index loop with the element as a struct local.</summary>
    private bool LowerForEachOverStructs(IForEachLoopOperation forEach, ILocalSymbol element)
    {
        if (StructArray(forEach.Collection) is not { } numbers || !SymbolEqualityComparer.Default.Equals(element.Type, numbers.Array.Element))
        {
            return false;
        }

        string index = _names.Unique("index");
        _claimed.Add(index);
        _nestingDepth++;
        List<Stmt> saved = _current;
        _current = new List<Stmt>();
        _structs[element] = DeclareStruct(element.Name, numbers.Array.Element, StructElement(numbers.View, numbers.Array, new Var(TypeRef.Int, index)));
        LowerStatement(forEach.Body);
        var body = new Block(_current.ToEquatableArray());
        _current = saved;
        _nestingDepth--;

        AddIndexLoop(index, StructCount(numbers.View, numbers.Array), body, counted: true);
        return true;
    }

    /// <summary>A tuple literal <c>(a, b)</c>, its elements converted to <paramref name="type"/>'s.</summary>
    private StructValue? TupleValue(INamedTypeSymbol type, ITupleOperation tuple)
    {
        List<IFieldSymbol> fields = FlatFields(type)!;
        var values = new List<(IFieldSymbol, Expr)>();
        for (int i = 0; i < fields.Count; i++)
        {
            Expr value = ConvertTo(LowerExpr(tuple.Elements[i]), TypeClassifier.Classify(fields[i].Type));
            if (IsDummy(value))
            {
                return null;
            }

            values.Add((fields[i], value));
        }

        return new StructValue(type, values);
    }

    /// <summary>
    /// <c>var (a, b) = e;</c>, <c>(x, y) = (y, x);</c>: the value's fields into new locals or tracked variables, held in
    /// temporaries first so a swap reads the old values.
    /// </summary>
    private void LowerDeconstruction(IDeconstructionAssignmentOperation deconstruction)
    {
        IOperation targets = deconstruction.Target is IDeclarationExpressionOperation { Expression: { } declared } ? declared : deconstruction.Target;
        if (targets is not ITupleOperation tuple || !IsFlat(deconstruction.Value.Type) && !IsFlat(tuple.Type))
        {
            ReportStatement(deconstruction, "deconstruction of this kind", "; assign the parts one by one");
            return;
        }

        StructValue? value = LowerStruct(deconstruction.Value);
        if (value is null)
        {
            return;
        }

        var parts = new List<Expr>();
        foreach ((IFieldSymbol field, Expr part) in value.Fields)
        {
            if (part is Literal)
            {
                parts.Add(part);
                continue;
            }

            string held = _names.Unique("part");
            _claimed.Add(held);
            _current.Add(new Declare(held, part.Type, part));
            parts.Add(new Var(part.Type, held));
        }

        for (int i = 0; i < tuple.Elements.Length && i < parts.Count; i++)
        {
            IOperation element = tuple.Elements[i] is IDeclarationExpressionOperation { Expression: { } inner } ? inner : tuple.Elements[i];
            switch (element)
            {
                case IDiscardOperation:
                    break;
                case ILocalReferenceOperation { IsDeclaration: true } local:
                    {
                        TypeRef type = TypeClassifier.Classify(local.Local.Type);
                        Var variable = Claim(local.Local, local.Local.Name, type);
                        _current.Add(new Declare(variable.Name, type, ConvertTo(parts[i], type)));
                        break;
                    }

                default:
                    {
                        Expr target = LowerTarget(element);
                        if (IsDummy(target))
                        {
                            return;
                        }

                        _current.Add(new Assign(target, ConvertTo(parts[i], target.Type)));
                        break;
                    }
            }
        }
    }

    /// <summary><c>new S(…) { … }</c>: zeros, then the constructor's body inlined on it, then the initializer.</summary>
    private StructValue? LowerStructCreation(IObjectCreationOperation creation)
    {
        var type = (INamedTypeSymbol)creation.Type!;
        StructValue result = DeclareStruct(char.ToLowerInvariant(type.Name[0]) + type.Name.Substring(1), type, null);
        if (creation.Constructor is { IsImplicitlyDeclared: false } constructor)
        {
            if (InlinedConstructorBody(constructor) is { } body)
            {
                if (!BindArguments(creation, creation.Arguments, constructor, body))
                {
                    return null;
                }

                StructValue? saved = _structReceiver;
                _structReceiver = result;
                _nestingDepth++;
                _current.AddRange(LowerBlock(body.Operations).Statements);
                _nestingDepth--;
                _structReceiver = saved;
            }
            else if (PrimaryConstructorFields(constructor, type) is { } assigned)
            {
                foreach ((IArgumentOperation argument, IFieldSymbol field) in creation.Arguments.Zip(assigned, (a, f) => (a, f)))
                {
                    var variable = (Var)result[field]!;
                    _current.Add(new Assign(variable, ConvertTo(LowerExpr(argument.Value), variable.Type)));
                }
            }
            else
            {
                ReportExpression(creation, "constructor without a body DiffGen can see", "; write the constructor in source");
                return null;
            }
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (IOperation member in initializer.Initializers)
            {
                if (member is not ISimpleAssignmentOperation { Target: IMemberReferenceOperation reference } assignment
                    || FieldOf(reference.Member, type) is not { } field)
                {
                    ReportExpression(member, "object initializer of this kind", "; assign the fields one by one");
                    return null;
                }

                var variable = (Var)result[field]!;
                _current.Add(new Assign(variable, ConvertTo(LowerExpr(assignment.Value), variable.Type)));
            }
        }

        result.Fresh = true;
        return result;
    }

    /// <summary>A record struct's primary constructor: parameter i sets the property of the same name.</summary>
    private static List<IFieldSymbol>? PrimaryConstructorFields(IMethodSymbol constructor, INamedTypeSymbol type)
    {
        var fields = new List<IFieldSymbol>();
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            IFieldSymbol? field = type.GetMembers(parameter.Name).Select(m => FieldOf(m, type)).FirstOrDefault(f => f is not null);
            if (field is null)
            {
                return null;
            }

            fields.Add(field);
        }

        return constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is RecordDeclarationSyntax) ? fields : null;
    }

    private IBlockOperation? InlinedConstructorBody(IMethodSymbol constructor)
    {
        foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_cancellationToken) is ConstructorDeclarationSyntax { Initializer: null } syntax
                && SemanticModelFor(syntax).GetOperation(syntax, _cancellationToken) is IConstructorBodyOperation body)
            {
                return body.BlockBody ?? body.ExpressionBody;
            }
        }

        return null;
    }

    /// <summary>
    /// A method, property or operator returning a struct, inlined: the receiver and struct arguments bound, the body
    /// lowered, its final <c>return</c> giving the value (a struct-returning body has that one return).
    /// </summary>
    private StructValue? InlineStructCall(IOperation call, IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, IBlockOperation body, params IOperation[] operands)
    {
        if (_inlining.Contains(method.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            Report(Diagnostics.DiagnosticDescriptors.RecursionNotSupported, call.Syntax.GetLocation(), method.Name);
            return null;
        }

        List<IOperation> statements = body.Operations.ToList();
        if (statements.Count == 0 || statements[statements.Count - 1] is not IReturnOperation { ReturnedValue: { } returned }
            || statements.Take(statements.Count - 1).Any(s => s.DescendantsAndSelf().OfType<IReturnOperation>().Any()))
        {
            ReportExpression(call, "struct-returning method with more than one return", "; end it with a single return");
            return null;
        }

        StructValue? receiver = _structReceiver;
        if (instance is not null && instance is not IInstanceReferenceOperation)
        {
            receiver = LowerStruct(instance);
            if (receiver is null)
            {
                return null;
            }
        }

        if (operands.Length > 0)
        {
            for (int i = 0; i < operands.Length; i++)
            {
                if (!BindValue(method.Parameters[i], operands[i], body))
                {
                    return null;
                }
            }
        }
        else if (!BindArguments(call, arguments, method, body))
        {
            return null;
        }

        StructValue? saved = _structReceiver;
        _structReceiver = receiver;
        _inlining.Add(method.OriginalDefinition);
        _nestingDepth++;
        _current.AddRange(LowerBlock(statements.Take(statements.Count - 1)).Statements);
        StructValue? result = LowerStruct(returned);
        string name = method.Name.StartsWith("op_", System.StringComparison.Ordinal) ? method.Name.Substring(3) : method.Name;
        StructValue? held = result is null ? null
            : result.Fresh ? result // built inside the call: nothing else holds it
            : DeclareStruct(char.ToLowerInvariant(name[0]) + name.Substring(1), result.Type, result);
        if (held is not null)
        {
            held.Fresh = true;
        }

        _nestingDepth--;
        _inlining.RemoveAt(_inlining.Count - 1);
        _structReceiver = saved;
        return held;
    }

    /// <summary>Binds one parameter of an inlined method or operator to an operand (struct or scalar).</summary>
    private bool BindValue(IParameterSymbol parameter, IOperation operand, IBlockOperation body)
    {
        bool written = body.Descendants().Select(WrittenParameter).OfType<IParameterSymbol>().Contains(parameter, SymbolEqualityComparer.Default)
            || body.Descendants().OfType<IFieldReferenceOperation>().Any(f => f.Instance is IParameterReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Parameter, parameter) && IsWrite(f));
        if (IsFlat(parameter.Type))
        {
            StructValue? value = LowerStruct(operand);
            if (value is null)
            {
                return false;
            }

            _structs[parameter] = written ? DeclareStruct(parameter.Name, value.Type, value) : value;
            return true;
        }

        // A slice or range of a vector (Stats(x.AsSpan(1))) stays a window on the caller's vector, as for any inlined helper.
        if (!written && TryBindViewArgument(parameter, operand))
        {
            return true;
        }

        TypeRef type = TypeClassifier.Classify(parameter.Type);
        Expr lowered = ConvertTo(LowerOperand(operand), type);
        if (IsDummy(lowered))
        {
            return false;
        }

        if (lowered is Var variable && !written)
        {
            _variables[parameter] = variable;
            return true;
        }

        Var local = Claim(parameter, parameter.Name, type);
        _current.Add(new Declare(local.Name, type, lowered));
        return true;
    }

    private static bool IsWrite(IOperation operation) => operation.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == operation,
        IIncrementOrDecrementOperation => true,
        _ => false,
    };

    /// <summary>Arguments by parameter, each bound by <see cref="BindValue"/> (ref/out and params stay unsupported here).</summary>
    private bool BindArguments(IOperation call, ImmutableArray<IArgumentOperation> arguments, IMethodSymbol method, IBlockOperation body)
    {
        foreach (IArgumentOperation argument in arguments)
        {
            if (argument.Parameter is null || argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter.RefKind != RefKind.None)
            {
                ReportExpression(argument, "argument of this kind to '" + method.Name + "'", "; pass values");
                return false;
            }

            if (!BindValue(method.Parameters[argument.Parameter.Ordinal], argument.Value, body))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A field of a struct value (<c>v.X</c>, <c>X</c> inside its methods), or null when the operation is not one.</summary>
    private Expr? StructField(IOperation operation)
    {
        (ISymbol? member, IOperation? instance) = MemberOf(operation);
        // The [Differentiable] method's own struct is the real object: its fields are read as written (constants).
        if (member is null || instance is null || !IsFlat(instance.Type) || instance is IInstanceReferenceOperation && _structReceiver is null)
        {
            return null;
        }

        if (FieldOf(member, instance.Type!) is not { } field)
        {
            // A computed property of the struct: its getter inlined with the struct as receiver.
            if (member is IPropertySymbol { GetMethod: { } getter } && InlinedBody(getter) is { } body && LowerStruct(instance) is { } receiver)
            {
                StructValue? saved = _structReceiver;
                _structReceiver = receiver;
                Expr? value = InlineScalar(getter, body);
                _structReceiver = saved;
                return value;
            }

            return null;
        }

        return LowerStruct(instance)?[field] ?? Dummy(TypeClassifier.Classify(operation.Type));
    }

    /// <summary>A user operator on structs that returns a number (<c>a * b</c> as a dot product), inlined.</summary>
    private Expr? StructOperator(IOperation operation, IMethodSymbol? method, params IOperation[] operands)
    {
        if (method is null || !operands.Any(o => IsFlat(o.Type)) || InlinedBody(method) is not { } body)
        {
            return null;
        }

        if (_noExtraction is not null)
        {
            Report(Diagnostics.DiagnosticDescriptors.CallMustBeHoisted, operation.Syntax.GetLocation(), method.Name, _method.Name, _noExtraction);
            return Dummy(TypeClassifier.Classify(method.ReturnType));
        }

        for (int i = 0; i < operands.Length; i++)
        {
            if (!BindValue(method.Parameters[i], operands[i], body))
            {
                return Dummy(TypeClassifier.Classify(method.ReturnType));
            }
        }

        return InlineScalar(method, body);
    }

    /// <summary>A body returning a number, inlined with its parameters and receiver already bound.</summary>
    private Expr InlineScalar(IMethodSymbol getter, IBlockOperation body)
    {
        TypeRef type = TypeClassifier.Classify(getter.ReturnType);
        if (_inlining.Contains(getter.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            Report(Diagnostics.DiagnosticDescriptors.RecursionNotSupported, getter.Locations[0], getter.Name);
            return Dummy(type);
        }

        _inlining.Add(getter.OriginalDefinition);
        _nestingDepth++;
        Block lowered = LowerBlock(body.Operations);
        _nestingDepth--;
        _inlining.RemoveAt(_inlining.Count - 1);
        string named = getter.AssociatedSymbol?.Name ?? (getter.MethodKind == MethodKind.UserDefinedOperator ? "product" : getter.Name);
        string result = _names.Unique(char.ToLowerInvariant(named[0]) + named.Substring(1));
        _claimed.Add(result);
        _current.AddRange(Differentiation.Preparation.ControlFlowNormalizer.InlineReturns(lowered, result, type, _names));
        return new Var(type, result);
    }
}
