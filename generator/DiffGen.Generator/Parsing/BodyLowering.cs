using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation.Analysis;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Lowers a method body (Roslyn IOperation tree) to the IR: unique names for every local, calls with derivatives
/// pulled out into their own statements, local functions inlined. Anything unsupported becomes a diagnostic at
/// the construct.
/// </summary>
internal sealed partial class BodyLowering
{
    private readonly SemanticModel _model;
    private readonly IMethodSymbol _method;
    private readonly NameTable _names;
    private readonly HashSet<string> _wrtNames;
    private readonly ImmutableArray<Diagnostic>.Builder _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ISymbol, Var> _variables = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _claimed = new();
    private readonly Dictionary<IMethodSymbol, ILocalFunctionOperation> _localFunctions = new(SymbolEqualityComparer.Default);
    private readonly List<IMethodSymbol> _inlining = new();

    /// <summary>Locals holding a row of a differentiated array of arrays: read other than through their elements, a derivative is lost.</summary>
    private readonly HashSet<string> _rowHolders = new();
    private List<Stmt> _current = new();

    /// <summary>Where each differentiable callee is first called (to locate problems found after lowering).</summary>
    public Dictionary<string, Location> CallLocations { get; } = new();

    /// <summary>Every Math call lowered, with its location (for the non-smooth advice, DG0021).</summary>
    public List<(MathCall Call, Location Location)> MathCallSites { get; } = new();

    private string? _noExtraction;
    private int _nestingDepth;
    private int _nextLoopId;

    public BodyLowering(
        SemanticModel model,
        IMethodSymbol method,
        NameTable names,
        HashSet<string> wrtNames,
        ImmutableArray<Diagnostic>.Builder diagnostics,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<ISymbol, ParameterSpec>? members = null,
        IReadOnlyDictionary<string, ParameterSpec>? modelLeaves = null,
        IReadOnlyDictionary<string, (ParameterSpec View, ModelTypes.StructArray Array)>? structArrays = null,
        IReadOnlyDictionary<string, (ParameterSpec View, ModelTypes.RectangularArray Array)>? rectangularArrays = null)
    {
        _rectangularArrays = rectangularArrays;
        _model = model;
        _method = method;
        _names = names;
        _wrtNames = wrtNames;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
        _members = members ?? new Dictionary<ISymbol, ParameterSpec>(SymbolEqualityComparer.Default);
        _modelLeaves = modelLeaves ?? new Dictionary<string, ParameterSpec>();
        s_complexParts = ComplexParts(model.Compilation);
        _structArrays = new Dictionary<ISymbol, (Var, ModelTypes.StructArray)>(SymbolEqualityComparer.Default);
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (structArrays is not null && structArrays.TryGetValue(parameter.Name, out (ParameterSpec View, ModelTypes.StructArray Array) view))
            {
                _structArrays[parameter] = (new Var(view.View.Type, view.View.Name), view.Array);
            }
        }
    }

    private readonly IReadOnlyDictionary<string, (ParameterSpec View, ModelTypes.RectangularArray Array)>? _rectangularArrays;

    /// <summary>Arrays of float/double structs among the parameters: the span of their numbers, and the struct.</summary>
    private readonly Dictionary<ISymbol, (Var View, ModelTypes.StructArray Array)> _structArrays;

    /// <summary>Leaves of differentiated model parameters by the member chain that reads them (<c>model.Fc1.Weight</c>).</summary>
    private readonly IReadOnlyDictionary<string, ParameterSpec> _modelLeaves;

    /// <summary>Fields and properties a gradient names: inputs like parameters, read into locals of their names.</summary>
    private readonly IReadOnlyDictionary<ISymbol, ParameterSpec> _members;

    public Block? LowerMethodBody(MethodDeclarationSyntax syntax)
    {
        var body = _model.GetOperation(syntax, _cancellationToken) as IMethodBodyOperation;
        IBlockOperation? block = body?.BlockBody ?? body?.ExpressionBody;
        if (block is null)
        {
            return null;
        }

        foreach (IParameterSymbol p in _method.Parameters)
        {
            _claimed.Add(p.Name);
            _variables[p] = new Var(TypeClassifier.Classify(p.Type), p.Name);
        }

        foreach (KeyValuePair<ISymbol, ParameterSpec> member in _members)
        {
            if (block.Descendants().OfType<ILocalReferenceOperation>().Any(l => l.Local.Name == member.Value.Name))
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, _method.Locations[0], "a local named like the member '" + member.Value.Name + "'", _method.Name, "; rename the local");
                return null;
            }

            _claimed.Add(member.Value.Name);
            _variables[member.Key] = new Var(member.Value.Type, member.Value.Name);
        }

        foreach (ParameterSpec leaf in _modelLeaves.Values.Distinct())
        {
            _claimed.Add(leaf.Name);
        }

        foreach ((Var view, ModelTypes.StructArray _) in _structArrays.Values)
        {
            _claimed.Add(view.Name);
        }

        DeclareParameterGrids(_rectangularArrays, block);
        RefuseReassignedArraysOfArrays(block);
        FindReassignedParameters(block);

        foreach (IParameterSymbol parameter in _method.Parameters)
        {
            if (parameter.RefKind is RefKind.None or RefKind.In && IsFlat(parameter.Type) && ParameterStruct(parameter) is { } value)
            {
                _structs[parameter] = value;
            }
        }

        foreach (ILocalFunctionOperation localFunction in block.Descendants().OfType<ILocalFunctionOperation>())
        {
            _localFunctions[localFunction.Symbol] = localFunction;
        }

        Block lowered = LowerBlock(block.Operations);
        if (_prologue.Count > 0)
        {
            lowered = new Block(_prologue.Concat(lowered.Statements).ToEquatableArray());
        }

        if (_diagnostics.Count == 0)
        {
            CheckOpaqueFlows(lowered);
        }

        return lowered;
    }

    private Block LowerBlock(IEnumerable<IOperation> operations)
    {
        List<Stmt> saved = _current;
        _current = new List<Stmt>();
        foreach (IOperation operation in operations)
        {
            LowerStatement(operation);
        }

        var block = new Block(_current.ToEquatableArray());
        _current = saved;
        return block;
    }

    /// <summary>
    /// <c>return c ? a : F(…)</c> or <c>return n switch { 0 => a, _ => F(…) }</c> with a call (other than a math
    /// function) in a branch: lowered as ifs, so the call is evaluated only when its branch is taken (a recursion's base
    /// case) and needs no hoisting (DG0008, DG0022).
    /// </summary>
    private static IOperation? BranchWithCall(IOperation returned)
    {
        IOperation value = returned is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : returned;
        IEnumerable<IOperation> branches = value switch
        {
            IConditionalOperation { WhenFalse: not null } conditional => new[] { conditional.WhenTrue, conditional.WhenFalse },
            ISwitchExpressionOperation switchExpression => switchExpression.Arms.Select(a => a.Value),
            _ => Enumerable.Empty<IOperation>(),
        };
        return branches.Any(b => b.DescendantsAndSelf().OfType<IInvocationOperation>().Any(c => !MathFunctions.TryGet(c.TargetMethod, out _))) ? value : null;
    }

    /// <summary>Lowers <c>return c ? a : b</c> as <c>if (c) return a; else return b;</c>, a switch expression as a chain of ifs.</summary>
    private void LowerConditionalReturn(IOperation branching, TypeRef type)
    {
        if (branching is ISwitchExpressionOperation switchExpression)
        {
            LowerSwitchReturn(switchExpression, type);
            return;
        }

        var conditional = (IConditionalOperation)branching;
        Expr condition = LowerExpr(conditional.Condition);
        _current.Add(new If(condition, ReturnBlock(conditional.WhenTrue, type), ReturnBlock(conditional.WhenFalse!, type)));
    }

    private void LowerSwitchReturn(ISwitchExpressionOperation switchExpression, TypeRef type)
    {
        Expr? selector = Selector(switchExpression.Value);
        if (selector is null)
        {
            return;
        }

        // Tests (and guards) are evaluated where the switch is; each arm's value only when its arm is taken.
        var arms = new List<(Expr Test, Block Value)>();
        foreach (ISwitchExpressionArmOperation arm in switchExpression.Arms)
        {
            string? saved = _noExtraction;
            _noExtraction ??= "a guard of a switch expression";
            Expr? test = ArmTest(selector, arm);
            _noExtraction = saved;
            if (test is null)
            {
                return;
            }

            arms.Add((test, ReturnBlock(arm.Value, type)));
        }

        Block otherwise = Block.Of(new Stmt[] { new Evaluate(NoArmMatched(type, selector)) });
        for (int i = arms.Count - 1; i >= 0; i--)
        {
            otherwise = arms[i].Test is Literal { Text: "true" } ? arms[i].Value : Block.Of(new Stmt[] { new If(arms[i].Test, arms[i].Value, otherwise) });
        }

        _current.AddRange(otherwise.Statements);
    }

    /// <summary>A branch of a returned conditional or switch, lowered into a block of its own that returns it.</summary>
    private Block ReturnBlock(IOperation branch, TypeRef type)
    {
        List<Stmt> saved = _current;
        _current = new List<Stmt>();
        _nestingDepth++;
        if (BranchWithCall(branch) is { } inner)
        {
            LowerConditionalReturn(inner, type);
        }
        else
        {
            _current.Add(new Return(ConvertTo(LowerExpr(branch), type)));
        }

        _nestingDepth--;
        var block = new Block(_current.ToEquatableArray());
        _current = saved;
        return block;
    }

    private Block LowerNested(IOperation operation)
    {
        _nestingDepth++;
        Block block = LowerBlock(new[] { operation });
        _nestingDepth--;
        return block;
    }

    private void LowerStatement(IOperation operation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        int before = _current.Count;
        LowerStatementCore(operation);

        // The user's statement as written, on the last IR statement it became (the reverse sweep quotes it).
        if (operation is not (IBlockOperation or IVariableDeclarationGroupOperation) && _current.Count > before && _current[_current.Count - 1].Source is null)
        {
            _current[_current.Count - 1] = _current[_current.Count - 1] with { Source = SourceText.Of(operation.Syntax) };
        }
    }

    private void LowerStatementCore(IOperation operation)
    {
        switch (operation)
        {
            case IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation }:
                break; // i++; is a statement already
            case IExpressionStatementOperation expression:
                HoistIncrements(operation, expression.Operation);
                break;
            case IReturnOperation ret:
                HoistIncrements(operation, ret.ReturnedValue);
                break;
            case IVariableDeclarationGroupOperation group:
                HoistIncrements(operation, group.Declarations.SelectMany(d => d.Declarators.Select(v => (IOperation?)(v.Initializer ?? d.Initializer))).ToArray());
                break;
            case IConditionalOperation conditional:
                HoistIncrements(operation, conditional.Condition);
                break;
        }

        switch (operation)
        {
            case IBlockOperation block:
                foreach (IOperation inner in block.Operations)
                {
                    LowerStatement(inner);
                }

                break;
            case IVariableDeclarationGroupOperation group:
                foreach (IVariableDeclarationOperation declaration in group.Declarations)
                {
                    foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                    {
                        LowerDeclarator(declarator, declarator.Initializer ?? declaration.Initializer);
                    }
                }

                break;
            case IExpressionStatementOperation expression:
                LowerExpressionStatement(expression.Operation);
                break;
            case IReturnOperation { ReturnedValue: { } returned } when BranchWithCall(returned) is { } conditional:
                LowerConditionalReturn(conditional, TypeClassifier.Classify(returned.Type));
                break;
            case IReturnOperation ret:
                _current.Add(new Return(ret.ReturnedValue is null ? null : LowerExpr(ret.ReturnedValue)));
                break;
            case IConditionalOperation conditional:
                {
                    Expr condition = LowerExpr(conditional.Condition);
                    Block then = LowerNested(conditional.WhenTrue);
                    Block? otherwise = conditional.WhenFalse is null ? null : LowerNested(conditional.WhenFalse);
                    _current.Add(new If(condition, then, otherwise));
                    break;
                }

            case IForLoopOperation forLoop:
                LowerFor(forLoop);
                break;
            case IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, Condition: not null } whileLoop:
                {
                    Expr condition = LowerCondition(whileLoop.Condition);
                    Block body = LowerNested(whileLoop.Body);
                    _current.Add(new Loop(_nextLoopId++, Block.Empty, condition, Block.Empty, body, null));
                    break;
                }

            case IWhileLoopOperation { ConditionIsTop: false, Condition: not null } doWhile:
                LowerDoWhile(doWhile);
                break;
            case ISwitchOperation switchOperation:
                LowerSwitch(switchOperation);
                break;
            case IForEachLoopOperation forEach:
                LowerForEach(forEach);
                break;
            case IBranchOperation { BranchKind: BranchKind.Break }:
                _current.Add(new Break());
                break;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                _current.Add(new Continue());
                break;
            case IEmptyOperation:
            case ILocalFunctionOperation:
                break;
            case IThrowOperation:
                LowerOpaqueStatement(operation);
                break;
            default:
                ReportUnsupported(operation, DiagnosticDescriptors.UnsupportedStatement);
                break;
        }
    }

    private void LowerDeclarator(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer)
    {
        ILocalSymbol local = declarator.Symbol;
        if (local.IsConst)
        {
            return; // references fold to the constant value
        }

        TypeRef type = TypeClassifier.Classify(local.Type);
        if (local.IsRef)
        {
            ReportStatement(declarator, "ref local", "; use a plain local");
            return;
        }

        if (ModelTypes.RectangularArrayOf(local.Type) is { } grid)
        {
            LowerGridDeclarator(declarator, local, initializer, grid);
            return;
        }

        if (type.IsVector && TryLowerViewDeclarator(declarator, local, initializer))
        {
            return;
        }

        if (type.IsVector && TryLowerCopyDeclarator(declarator, local, initializer, type))
        {
            return;
        }

        if (IsFlat(local.Type))
        {
            LowerStructDeclarator(local, initializer);
            return;
        }

        if (type.Element is ElementKind.Other or ElementKind.Void)
        {
            if (!CanName(local.Type))
            {
                ReportStatement(declarator, "local of type " + local.Type.ToDisplayString(), "; give it a named type");
                return;
            }

            // A part of a differentiated model held in a local (var layer = model.Hidden): its leaves are read through it.
            if (initializer is not null && ModelPart(initializer.Value) is { } part && !IsReassigned(declarator, local))
            {
                _modelAliases[local] = part;
            }
            else if (initializer is not null && LayerOf(initializer.Value) is { } layer)
            {
                if (IsReassigned(declarator, local))
                {
                    // Its leaves would be read through whichever layer it holds last: as constants.
                    ReportStatement(declarator, "a local holding a layer that is reassigned", "; declare one local per layer and never reassign it (Dense layer = model.Layers[l]; inside the loop)");
                }
                else
                {
                    AliasLayer(local, layer, RootOf(declarator));
                }
            }

            // Any other type holds no derivative: an object, a string, a Random (issue #13 item 2).
            Expr? value = initializer is null ? null : LowerOperand(initializer.Value);
            Var holder = Claim(local, local.Name, type);
            var holderDeclaration = new Declare(holder.Name, type, value) { Source = SourceText.OfDeclarator(declarator.Syntax) };
            _current.Add(holderDeclaration);
            RecordObjectDeclaration(local, holderDeclaration, IsReassigned(declarator, local));
            return;
        }

        Expr? init = null;
        if (type.IsVector && _returnedVectors.TryGetValue(local, out (Var Into, Location Call) helperResult))
        {
            Var returned = helperResult.Into;
            // The vector a helper inlined flat creates and returns: the caller's vector, created here.
            _variables[local] = returned;
            if (AtTopLevel)
            {
                if (LowerVectorInitializer(declarator, initializer, type) is { } creation)
                {
                    _current.Add(new Declare(returned.Name, returned.Type, creation) { Source = SourceText.OfDeclarator(declarator.Syntax) });
                }
            }
            else if (!TryHoistVector(declarator, initializer, returned))
            {
                Report(DiagnosticDescriptors.VectorLocalNotAtTopLevel, helperResult.Call, returned.Name, _method.Name);
            }

            return;
        }

        if (type.IsVector && initializer is not null && TryInlineVectorHelper(declarator, local, initializer.Value, type))
        {
            return;
        }

        if (type.IsVector)
        {
            if (initializer is not null && PackedLeafPath(initializer.Value) is { Layer: var site } && !IsReassigned(declarator, local))
            {
                // double[] r = w[i]; of a differentiated array of arrays: its elements are read through the local.
                Var holder = Claim(local, local.Name, type);
                _current.Add(new Declare(holder.Name, type, LowerOpaque(initializer.Value, type)) { Source = SourceText.OfDeclarator(declarator.Syntax) });
                AliasLayer(local, site, RootOf(declarator));
                _rowHolders.Add(holder.Name);
                return;
            }

            if (initializer is not null && IsRowOfArrayOfArrays(initializer.Value) && !IsReassigned(declarator, local) && !ElementsWritten(declarator, local))
            {
                // double[] x = xs[i]; in a loop: a row of the caller's data, held where the user holds it (as foreach over the rows does).
                Var row = Claim(local, local.Name, type);
                _current.Add(new Declare(row.Name, type, LowerExpr(initializer.Value)) { Source = SourceText.OfDeclarator(declarator.Syntax) });
                return;
            }

            if (!AtTopLevel && !IsReassigned(declarator, local)
                && TryHoistVector(declarator, initializer, Claim(local, local.Name, type)))
            {
                return; // created once at the top, zeroed here
            }

            // (A vector declared after an early return is fine: the reverse sweep declares it before the guard.)
            if (RefusedBelowTopLevel(declarator, local, type))
            {
                return;
            }

            if (ElementList(declarator, initializer) is { } elements)
            {
                LowerVectorWithElements(declarator, local, type, elements);
                return;
            }

            init = LowerVectorInitializer(declarator, initializer, type);
            if (init is null)
            {
                Claim(local, local.Name, type);
                return;
            }
        }
        else if (initializer is not null)
        {
            init = LowerExpr(initializer.Value);
        }

        Var variable = Claim(local, local.Name, type);
        _current.Add(new Declare(variable.Name, type, init) { Source = SourceText.OfDeclarator(declarator.Syntax) });
        if (type == TypeRef.Int && init is not null && !IsReassigned(declarator, local)
            && !RootOf(declarator).Descendants().Any(o => o is IIncrementOrDecrementOperation { Target: ILocalReferenceOperation l } && SymbolEqualityComparer.Default.Equals(l.Local, local)))
        {
            _fixedInts[variable.Name] = init; // a size computed once (int n = x.Length * 2;): a vector of n can be created at the top
        }
    }

    /// <summary>
    /// The elements of <c>{ a, b }</c>, <c>new[] { … }</c>, <c>new double[n] { … }</c>, <c>[a, b]</c> or
    /// <c>stackalloc double[] { … }</c>, and whether it is on the stack; null for any other initializer.
    /// </summary>
    private (IReadOnlyList<IOperation> Values, bool Stack)? ElementList(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer)
    {
        ExpressionSyntax? value = (declarator.Syntax as VariableDeclaratorSyntax)?.Initializer?.Value;
        InitializerExpressionSyntax? stackElements = value switch
        {
            StackAllocArrayCreationExpressionSyntax { Initializer: { } elements } => elements,
            ImplicitStackAllocArrayCreationExpressionSyntax { Initializer: { } elements } => elements,
            _ => null,
        };
        if (stackElements is not null)
        {
            return Operations(stackElements.Expressions, stack: true);
        }

        if (value is CollectionExpressionSyntax collection && collection.Elements.All(e => e is ExpressionElementSyntax))
        {
            return Operations(collection.Elements.Select(e => ((ExpressionElementSyntax)e).Expression), stack: false);
        }

        IOperation? op = initializer?.Value;
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        return op switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } elements } => (elements.ElementValues, false),
            _ => null,
        };
    }

    private (IReadOnlyList<IOperation> Values, bool Stack)? Operations(IEnumerable<ExpressionSyntax> expressions, bool stack)
    {
        var values = new List<IOperation>();
        foreach (ExpressionSyntax expression in expressions)
        {
            if (_model.GetOperation(expression, _cancellationToken) is not { } operation)
            {
                return null;
            }

            values.Add(operation);
        }

        return (values, stack);
    }

    /// <summary>A vector with its elements listed: a vector of that many elements, then one store per element, in order.</summary>
    private void LowerVectorWithElements(IVariableDeclaratorOperation declarator, ILocalSymbol local, TypeRef type, (IReadOnlyList<IOperation> Values, bool Stack) elements)
    {
        Var vector = Claim(local, local.Name, type);
        var storage = new TypeRef(type.Element, elements.Stack ? Shape.Span : Shape.Array);
        _current.Add(new Declare(vector.Name, type, new NewVector(storage, LiteralFormatter.Int(elements.Values.Count), elements.Stack)) { Source = SourceText.OfDeclarator(declarator.Syntax) });
        for (int k = 0; k < elements.Values.Count; k++)
        {
            _current.Add(new Assign(new Elem(type.ElementType, vector.Name, LiteralFormatter.Int(k)), ConvertTo(LowerExpr(elements.Values[k]), type.ElementType)));
        }
    }

    /// <summary>
    /// DG0012 where a differentiated array of arrays (a parameter or a field of this) is assigned: its rows were packed
    /// at the top, so another array in its place would not be seen.
    /// </summary>
    private void RefuseReassignedArraysOfArrays(IBlockOperation body)
    {
        foreach (IOperation operation in body.Descendants())
        {
            IOperation? target = operation switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (target is not null && (target is IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
                && ModelPath(target) is { } path && _modelLeaves.ContainsKey(path + "[]."))
            {
                Report(DiagnosticDescriptors.WriteToDifferentiatedInput, operation.Syntax.GetLocation(), path.StartsWith("this.", System.StringComparison.Ordinal) ? path.Substring(5) : path, _method.Name);
            }
        }
    }

    /// <summary>An element of the local assigned, incremented or passed by reference anywhere in its method.</summary>
    private bool ElementsWritten(IOperation declaration, ILocalSymbol local) => ElementsWrittenIn(RootOf(declaration), local);

    /// <summary>
    /// An element of the local or parameter assigned, incremented, passed by reference, or passed whole to a writable
    /// parameter of a method that writes it (looked into when its body is in source) in <paramref name="root"/>.
    /// </summary>
    private bool ElementsWrittenIn(IOperation root, ISymbol variable, int depth = 0)
    {
        bool Is(IOperation? operation) => WithoutConversions(operation!) switch
        {
            ILocalReferenceOperation l => SymbolEqualityComparer.Default.Equals(l.Local, variable),
            IParameterReferenceOperation p => SymbolEqualityComparer.Default.Equals(p.Parameter, variable),
            _ => false,
        };

        return root.Descendants().Any(o => o switch
        {
            IAssignmentOperation { Target: IArrayElementReferenceOperation element } => Is(element.ArrayReference),
            IIncrementOrDecrementOperation { Target: IArrayElementReferenceOperation element } => Is(element.ArrayReference),
            IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: IArrayElementReferenceOperation element } => Is(element.ArrayReference),
            IArgumentOperation argument => Is(argument.Value) && Writable(argument.Parameter?.Type)
                && (depth >= MaxInliningDepth || argument.Parameter!.ContainingSymbol is not IMethodSymbol callee || InlinedBody(callee) is not { } body
                    || ElementsWrittenIn(body, argument.Parameter.OriginalDefinition, depth + 1)),
            _ => false,
        });
    }

    /// <summary>At the top level of the method: in no loop, branch or helper, except helpers inlined flat (their vectors are the method's).</summary>
    private bool AtTopLevel => _nestingDepth == 0 && _inlining.Count == _flatInlining;

    /// <summary>
    /// DG0024 for a vector local inside a loop, a branch or an inlined helper (the IR declares vectors once, at the top
    /// of the method); the name is still claimed so later uses resolve. False at the top level.
    /// </summary>
    private bool RefusedBelowTopLevel(IVariableDeclaratorOperation declarator, ILocalSymbol local, TypeRef type)
    {
        if (AtTopLevel)
        {
            return false;
        }

        Report(DiagnosticDescriptors.VectorLocalNotAtTopLevel, declarator.Syntax.GetLocation(), local.Name, _method.Name);
        Claim(local, local.Name, type);
        return true;
    }

    private Expr? LowerVectorInitializer(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, TypeRef type)
    {
        // stackalloc has no IOperation shape of its own in every compiler version: read the syntax.
        ExpressionSyntax? value = (declarator.Syntax as VariableDeclaratorSyntax)?.Initializer?.Value;
        if (value is StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax arrayType, Initializer: null }
            && arrayType.RankSpecifiers.Count == 1 && arrayType.RankSpecifiers[0].Sizes.Count == 1
            && _model.GetOperation(arrayType.RankSpecifiers[0].Sizes[0], _cancellationToken) is { } size)
        {
            return new NewVector(new TypeRef(type.Element, Shape.Span), LowerExpr(size), Stack: true);
        }

        IOperation? op = initializer?.Value;
        while (op is IConversionOperation conversion)
        {
            op = conversion.Operand;
        }

        if (op is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation)
        {
            return new NewVector(new TypeRef(type.Element, Shape.Array), LowerExpr(creation.DimensionSizes[0]), Stack: false);
        }

        ReportStatement(declarator, "vector initializer", "; create vectors with new T[n] or stackalloc T[n] (or in a helper that creates one at its top and returns it at its end, called at the top level), or view part of one with Slice, AsSpan or a range (x[a..b])");
        return null;
    }

    private void LowerExpressionStatement(IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when _views.Count > 0 && TryRebindView(assignment):
                break;
            case ISimpleAssignmentOperation assignment when IsFlat(assignment.Target.Type):
                LowerStructAssignment(assignment);
                break;
            case ICompoundAssignmentOperation compound when IsFlat(compound.Target.Type) && Tracks(compound.Target):
                LowerStructCompoundAssignment(compound);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                LowerDeconstruction(deconstruction);
                break;
            case IAssignmentOperation assignment when !Tracks(assignment.Target) && WritesTrackedVariable(assignment.Value) is null:
                LowerOpaqueStatement(assignment); // a field or property of an object
                break;
            case IIncrementOrDecrementOperation increment when !Tracks(increment.Target):
                LowerOpaqueStatement(increment);
                break;
            case ISimpleAssignmentOperation assignment:
                {
                    Expr target = LowerTarget(assignment.Target);
                    Expr value = LowerExpr(assignment.Value);
                    _current.Add(new Assign(target, ConvertTo(value, target.Type)));
                    break;
                }

            case ICompoundAssignmentOperation compound:
                {
                    if (compound.OperatorMethod is not null || !TryMapBinary(compound.OperatorKind, out BinaryOp op) || op > BinaryOp.Remainder)
                    {
                        ReportExpression(compound, "compound assignment '" + compound.OperatorKind + "'", string.Empty);
                        return;
                    }

                    Expr target = LowerTarget(compound.Target);
                    Expr value = LowerExpr(compound.Value);
                    TypeRef opType = Wider(target.Type, value.Type);
                    Expr combined = new Binary(opType, op, ConvertTo(target, opType), ConvertTo(value, opType));
                    _current.Add(new Assign(target, ConvertTo(combined, target.Type)));
                    break;
                }

            case IIncrementOrDecrementOperation increment:
                {
                    Expr target = LowerTarget(increment.Target);
                    BinaryOp op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                    Expr one = target.Type.IsReal ? LiteralFormatter.Real(1, target.Type) : LiteralFormatter.Int(1);
                    _current.Add(new Assign(target, new Binary(target.Type, op, target, one)));
                    break;
                }

            case IInvocationOperation invocation when TryLowerCopyStatement(invocation) || TryLowerFillStatement(invocation):
                break;
            case IInvocationOperation invocation:
                LowerInvocation(invocation, asStatement: true);
                break;
            case IInvalidOperation when TryLowerNestedCall(operation, asStatement: true, out _):
                break; // a generated derivative, unbound in the generator (BodyLowering.Nested)
            default:
                ReportUnsupported(operation, DiagnosticDescriptors.UnsupportedStatement);
                break;
        }
    }

    private void LowerFor(IForLoopOperation forLoop)
    {
        _nestingDepth++;
        Block init = LowerBlock(forLoop.Before);
        Expr? condition = forLoop.Condition is null ? null : LowerCondition(forLoop.Condition);
        Block body = LowerBlock(new[] { forLoop.Body });
        Block update = LowerBlock(forLoop.AtLoopBottom);
        _nestingDepth--;
        _current.Add(new Loop(_nextLoopId++, init, condition, update, body, CountedLoopShape.Of(init, condition, update, body)?.Counter));
    }

    private void LowerForEach(IForEachLoopOperation forEach)
    {
        if (forEach.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } structElement } && LowerForEachOverStructs(forEach, structElement))
        {
            return;
        }

        IOperation collection = forEach.Collection;
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }

        if (TryLowerForEachOverView(forEach, collection))
        {
            return;
        }

        if (LayerCollection(collection) is { } layers && forEach.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } layer })
        {
            LowerForEachOverLayers(forEach, layers, layer);
            return;
        }

        if (forEach.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } leafElement } && PackedLeafOf(collection) is { } packed)
        {
            // foreach over a row of a differentiated array of arrays (or a layer's leaf): the row's part of the packed vector.
            LowerForEachOverWindow(forEach, leafElement, new SpanView(packed.Values, packed.Start, packed.Length));
            return;
        }

        Expr source = LowerExpr(collection);
        if (source.Type.Element is ElementKind.Other && IsIndexedList(collection.Type)
            && forEach.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } listElement })
        {
            LowerForEachOverList(forEach, source, listElement);
            return;
        }

        if (forEach.LoopControlVariable is IDeclarationExpressionOperation or ITupleOperation
            && (collection.Type is IArrayTypeSymbol || IsIndexedList(collection.Type) || SequenceElement(collection.Type) is null))
        {
            INamedTypeSymbol? tupleElement = (collection.Type as IArrayTypeSymbol)?.ElementType as INamedTypeSymbol
                ?? (IsIndexedList(collection.Type) ? IndexerElement(collection.Type) : null);
            LowerForEachOverTuples(forEach, source, tupleElement, collection.Type is IArrayTypeSymbol ? ".Length" : ".Count");
            return;
        }

        if (source.Type.Element is ElementKind.Other && !IsDummy(source) && AtTopLevel && _inlining.Count == 0
            && SequenceElement(collection.Type) is { } sequenceElement && CanName(sequenceElement))
        {
            // A sequence that is not a list (IEnumerable<T>, a LINQ query), looped over in the method's own top level:
            // read into a list once (no copy when it is one), then as a list.
            var listType = new TypeRef(ElementKind.Other, Shape.Scalar, "global::System.Collections.Generic.IReadOnlyList<" + VerbatimText.Qualified(sequenceElement) + ">");
            var asList = new Opaque(listType, new[] { KnownTypeNames.Sequences + ".AsList(", ")" }.ToEquatableArray(), new Expr[] { source }.ToEquatableArray(), EquatableArray<string>.Empty);
            Var list = DeclareLocal("sequence", listType, Site(asList, forEach.Collection, "the sequence", isCall: true));
            if (forEach.LoopControlVariable is IVariableDeclaratorOperation { Symbol: { } sequenceLocal })
            {
                LowerForEachOverList(forEach, list, sequenceLocal);
            }
            else
            {
                LowerForEachOverTuples(forEach, list, sequenceElement as INamedTypeSymbol, ".Count");
            }

            return;
        }

        if (source is Opaque { Type.IsVector: true } rowOfData && IsRowOfArrayOfArrays(collection))
        {
            // foreach (double v in xs[i]): the row held in a local first.
            source = DeclareLocal("row", source.Type, rowOfData);
        }

        if (source is not Var { Type.IsVector: true } vector
            || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { } element })
        {
            ReportStatement(forEach, "foreach over something other than an array, a span or an indexed list", "; the reverse sweep visits the elements again by index: pass an array, a span or a list (IReadOnlyList<T>; a sequence can be turned into one with ToArray() before the call)");
            return;
        }

        LowerForEachOverWindow(forEach, element, new SpanView(vector, LiteralFormatter.Int(0), new LengthOf(vector.Name)));
    }

    /// <summary>foreach over elements Start … Start + Length − 1 of a vector: an index loop, the loop variable read from it.</summary>
    private void LowerForEachOverWindow(IForEachLoopOperation forEach, ILocalSymbol element, SpanView window)
    {
        string index = _names.Unique("index");
        TypeRef elementType = TypeClassifier.Classify(element.Type);
        _nestingDepth++;
        Var item = Claim(element, element.Name, elementType);
        List<Stmt> saved = _current;
        Expr at = Plus(window.Start, new Var(TypeRef.Int, index));
        _current = new List<Stmt> { new Declare(item.Name, elementType, ConvertTo(new Elem(window.Vector.Type.ElementType, window.Vector.Name, at), elementType)) };
        LowerStatement(forEach.Body);
        var body = new Block(_current.ToEquatableArray());
        _current = saved;
        _nestingDepth--;

        AddIndexLoop(index, window.Length, body, counted: true);
    }

    /// <summary>
    /// Adds <c>for (int index = 0; index &lt; count; index++) body</c>, the loop every foreach and LINQ source becomes;
    /// <paramref name="counted"/> names the index as the loop's counter (a plain counted loop the later passes may fuse).
    /// </summary>
    private void AddIndexLoop(string index, Expr count, Block body, bool counted)
    {
        var at = new Var(TypeRef.Int, index);
        var init = new Block(new Stmt[] { new Declare(index, TypeRef.Int, LiteralFormatter.Int(0)) }.ToEquatableArray());
        var condition = new Binary(TypeRef.Bool, BinaryOp.Less, at, count);
        var update = new Block(new Stmt[] { new Assign(at, new Binary(TypeRef.Int, BinaryOp.Add, at, LiteralFormatter.Int(1))) }.ToEquatableArray());
        _current.Add(new Loop(_nextLoopId++, init, condition, update, body, counted ? index : null));
    }

    /// <summary>
    /// foreach over a list (List&lt;T&gt;, IList&lt;T&gt;, IReadOnlyList&lt;T&gt;) runs as an index loop over <c>Count</c> and the
    /// indexer, both code without a derivative: the same elements in the same order (the list is not modified here).
    /// </summary>
    private void LowerForEachOverList(IForEachLoopOperation forEach, Expr source, ILocalSymbol element)
    {
        // An array of objects implements Count only explicitly (ICollection<T>): it is counted by Length.
        string countMember = forEach.Collection.Type is IArrayTypeSymbol || WithoutConversions(forEach.Collection).Type is IArrayTypeSymbol ? ".Length" : ".Count";
        LowerIndexedForEach(forEach, source, countMember, (list, at) =>
        {
            if (element.Type is INamedTypeSymbol structType && IsFlat(structType) && !IsComplex(structType) && !IsNumericsVector(structType))
            {
                // A list of structs of numbers (samples as record structs): the element held field by field, each read
                // from the list (data: no derivative flows into the list).
                var fields = FlatFields(structType)!.Select(f => (f, (Expr)ElementRead(forEach, list, at, TypeClassifier.Classify(f.Type), "." + MemberName(structType, f)))).ToList();
                _structs[element] = DeclareStruct(element.Name, structType, new StructValue(structType, fields));
                return;
            }

            TypeRef elementType = TypeClassifier.Classify(element.Type);
            Var variable = Claim(element, element.Name, elementType);
            _current.Add(new Declare(variable.Name, elementType, ElementRead(forEach, list, at, elementType, string.Empty)));
        });
    }

    /// <summary>
    /// The index loop a foreach over an indexed collection runs as: the collection held in a local, <c>Count</c> (or
    /// <c>Length</c>) and the indexer read as code without a derivative (the same elements in the same order: the
    /// collection is not modified here); <paramref name="declareElements"/> starts the body with the loop variables.
    /// </summary>
    private void LowerIndexedForEach(IForEachLoopOperation forEach, Expr source, string countMember, System.Action<Var, Var> declareElements)
    {
        if (IsDummy(source))
        {
            return;
        }

        if (source is not Var list)
        {
            list = new Var(source.Type, _names.Unique("list"));
            _claimed.Add(list.Name);
            _current.Add(new Declare(list.Name, source.Type, source));
        }

        string index = _names.Unique("index");
        var at = new Var(TypeRef.Int, index);
        Opaque count = Site(new Opaque(TypeRef.Int, new[] { string.Empty, countMember }.ToEquatableArray(), new Expr[] { list }.ToEquatableArray(), EquatableArray<string>.Empty), forEach.Collection, "'" + countMember.Substring(1) + "'", isCall: false);

        _nestingDepth++;
        List<Stmt> saved = _current;
        _current = new List<Stmt>();
        declareElements(list, at);
        LowerStatement(forEach.Body);
        var body = new Block(_current.ToEquatableArray());
        _current = saved;
        _nestingDepth--;
        AddIndexLoop(index, count, body, counted: false);
    }

    /// <summary><c>list[index]</c> followed by <paramref name="member"/> (<c>.X</c>, or nothing): an element read as data.</summary>
    private Opaque ElementRead(IForEachLoopOperation forEach, Var list, Var at, TypeRef type, string member) =>
        Site(new Opaque(type, new[] { string.Empty, "[", "]" + member }.ToEquatableArray(), new Expr[] { list, at }.ToEquatableArray(), EquatableArray<string>.Empty), forEach.Collection, "an element of the collection", isCall: false);

    /// <summary>
    /// <c>foreach (var (x, y) in batch)</c> over an array or list of tuples of data (a sample's features and label): an
    /// index loop whose body starts by reading each named element, <c>double[] x = batch[index].Item1;</c> (a row of
    /// data, read in place; discards are skipped). Tuples, and positional records (their compiler-made Deconstruct reads
    /// the properties of the primary constructor's parameters); a Deconstruct written by hand is not looked into.
    /// </summary>
    private void LowerForEachOverTuples(IForEachLoopOperation forEach, Expr source, INamedTypeSymbol? element, string countMember)
    {
        IOperation control = forEach.LoopControlVariable is IDeclarationExpressionOperation declaration ? declaration.Expression : forEach.LoopControlVariable;
        if (IsDummy(source))
        {
            return;
        }

        IReadOnlyList<string>? members = element switch
        {
            { IsTupleType: true } => element.TupleElements.Select(e => MemberName(element, e)).ToList(),
            { IsRecord: true } => RecordComponents(element),
            _ => null,
        };
        if (source.Type.Element is not ElementKind.Other || members is null || control is not ITupleOperation tuple
            || tuple.Elements.Length != members.Count)
        {
            ReportStatement(forEach, "foreach that deconstructs something other than a tuple or a positional record of an array or list", "; deconstruct tuples or records, or index the collection and read the members (batch[i].X)");
            return;
        }

        var locals = new List<(ILocalSymbol Local, string Member)>();
        for (int k = 0; k < tuple.Elements.Length; k++)
        {
            IOperation part = tuple.Elements[k] is IDeclarationExpressionOperation declared ? declared.Expression : tuple.Elements[k];
            switch (part)
            {
                case IDiscardOperation:
                    continue;
                case ILocalReferenceOperation { Local: var local } when !(TypeClassifier.Classify(local.Type) is { IsVector: true } && ElementsWrittenIn(forEach.Body, local)):
                    locals.Add((local, members[k]));
                    continue;
                default:
                    ReportStatement(forEach, "foreach that deconstructs into nested tuples or into a row it writes", "; deconstruct into plain locals and copy a row before writing it");
                    return;
            }
        }

        LowerIndexedForEach(forEach, source, countMember, (list, at) =>
        {
            foreach ((ILocalSymbol local, string member) in locals)
            {
                TypeRef type = TypeClassifier.Classify(local.Type);
                Var variable = Claim(local, local.Name, type);
                _current.Add(new Declare(variable.Name, type, ElementRead(forEach, list, at, type, "." + member)));
            }
        });
    }

    /// <summary>The properties a positional record's compiler-made Deconstruct reads, in order; null for any other Deconstruct.</summary>
    private static IReadOnlyList<string>? RecordComponents(INamedTypeSymbol record)
    {
        IMethodSymbol? deconstruct = record.GetMembers("Deconstruct").OfType<IMethodSymbol>().SingleOrDefault();
        if (deconstruct is null || !deconstruct.IsImplicitlyDeclared
            || deconstruct.Parameters.Any(p => p.RefKind != RefKind.Out || record.GetMembers(p.Name).OfType<IPropertySymbol>().SingleOrDefault() is null))
        {
            return null;
        }

        return deconstruct.Parameters.Select(p => p.Name).ToList();
    }

    /// <summary>T of a type that is an <c>IEnumerable&lt;T&gt;</c> (itself or through an interface), or null.</summary>
    private static ITypeSymbol? SequenceElement(ITypeSymbol? type) =>
        type is null ? null : new[] { type }.Concat(type.AllInterfaces).OfType<INamedTypeSymbol>()
            .FirstOrDefault(t => t.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];

    /// <summary>The element type of a list's <c>int</c> indexer.</summary>
    private static INamedTypeSymbol? IndexerElement(ITypeSymbol? type) =>
        type is null ? null : new[] { type }.Concat(type.AllInterfaces).SelectMany(t => t.GetMembers("this[]").OfType<IPropertySymbol>())
            .FirstOrDefault(p => p.Parameters.Length == 1 && p.Parameters[0].Type.SpecialType == SpecialType.System_Int32)?.Type as INamedTypeSymbol;

    /// <summary>A type with an <c>int Count</c> and an <c>int</c> indexer (itself or through an interface).</summary>
    private static bool IsIndexedList(ITypeSymbol? type)
    {
        if (type is null || !CanName(type))
        {
            return false;
        }

        var types = new List<ITypeSymbol> { type };
        types.AddRange(type.AllInterfaces);
        bool count = types.Any(t => t.GetMembers("Count").OfType<IPropertySymbol>().Any(p => p.Type.SpecialType == SpecialType.System_Int32 && !p.IsStatic));
        bool indexer = types.Any(t => t.GetMembers("this[]").OfType<IPropertySymbol>().Any(p => p.Parameters.Length == 1 && p.Parameters[0].Type.SpecialType == SpecialType.System_Int32));
        return count && indexer;
    }

    /// <summary>A loop condition is evaluated many times: calls must not be pulled out of it.</summary>
    private Expr LowerCondition(IOperation condition)
    {
        string? saved = _noExtraction;
        _noExtraction = "a loop condition";
        Expr result = LowerExpr(condition);
        _noExtraction = saved;
        return result;
    }

    private Var Claim(ISymbol symbol, string preferred, TypeRef type)
    {
        // An inlined helper's locals are not in the method's reserved names: reserve each one claimed.
        string name = preferred;
        while (!_claimed.Add(name))
        {
            name = _names.Unique(preferred);
        }

        _names.Reserve(name);
        var variable = new Var(type, name);
        _variables[symbol] = variable;
        return variable;
    }

    private void Report(DiagnosticDescriptor descriptor, Location location, params object[] args) =>
        _diagnostics.Add(Diagnostic.Create(descriptor, location, args));

    private void ReportStatement(IOperation operation, string what, string hint) =>
        Report(DiagnosticDescriptors.UnsupportedStatement, operation.Syntax.GetLocation(), what, _method.Name, hint);

    private void ReportExpression(IOperation operation, string what, string hint) =>
        Report(DiagnosticDescriptors.UnsupportedExpression, operation.Syntax.GetLocation(), what, _method.Name, hint);

    /// <summary>DG0023 for lambdas and LINQ, otherwise the given DG0007/DG0008 with a description and a hint.</summary>
    private void ReportUnsupported(IOperation operation, DiagnosticDescriptor descriptor)
    {
        if (UnsupportedConstructs.IsLambdaOrQuery(operation))
        {
            Report(DiagnosticDescriptors.LambdaOrQuery, operation.Syntax.GetLocation(), UnsupportedConstructs.LambdaKind(operation), _method.Name);
            return;
        }

        (string what, string hint) = UnsupportedConstructs.Explain(operation);
        Report(descriptor, operation.Syntax.GetLocation(), what, _method.Name, hint);
    }

    private static IOperation SkipConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static string Describe(IOperation operation)
    {
        string text = operation.Syntax.ToString();
        int newline = text.IndexOfAny(new[] { '\r', '\n' });
        if (newline >= 0)
        {
            text = text.Substring(0, newline) + " …";
        }

        if (text.Length > 60)
        {
            text = text.Substring(0, 57) + "…";
        }

        return operation is IArrayElementReferenceOperation { ArrayReference: var row } && IsRowOfArrayOfArrays(row)
            ? "element of an array of arrays '" + text + "' (data, without a derivative)"
            : operation.Kind.ToString() + " '" + text + "'";
    }
}
