using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Nested differentiation (docs/forward-and-second-order.md §5): a call of a generated gradient, pullback or
/// pushforward of G becomes ordinary calls of differentiable functions of G's inputs: each component
/// <c>∂G/∂p_k = GNestedPartial(p…, k)</c> (whose pullback and pushforward are Hessian-vector products) and, when the
/// result is used, <c>G(p…)</c> itself (whose derivatives are G's with respect to every input). The outer derivative,
/// forward or reverse, then differentiates them like any call.
/// </summary>
internal sealed partial class BodyLowering
{
    /// <summary>
    /// Lowers <paramref name="operation"/> when it is a call of a generated derivative (bound in the analyzer, not in the
    /// generator); false when it is not one. Refusals are DG0029 at the call.
    /// </summary>
    private bool TryLowerNestedCall(IOperation operation, bool asStatement, out Expr? result)
    {
        result = null;
        if (operation.Syntax is not InvocationExpressionSyntax syntax || NestedCallResolver.Resolve(syntax, _model, _method) is not { } callee)
        {
            return false;
        }

        TypeRef type = TypeClassifier.Classify(callee.Method.ReturnType);
        string? refusal = callee.Refusal
            ?? (SymbolEqualityComparer.Default.Equals(callee.Method.OriginalDefinition, _method.OriginalDefinition)
                ? "a method cannot be differentiated through its own derivative (its helpers would call back into it); compute the derivative outside the method"
                : ShapeRefusal(syntax, callee) ?? UseRefusal(syntax, asStatement));
        if (refusal is null && !asStatement && _noExtraction is not null)
        {
            Report(DiagnosticDescriptors.CallMustBeHoisted, syntax.GetLocation(), callee.Name, _method.Name, _noExtraction);
            result = Dummy(type);
            return true;
        }

        if (refusal is not null)
        {
            // A local the call declares (out double t) still exists for the code after it: one diagnostic, not two.
            if (syntax.ArgumentList.Arguments.LastOrDefault()?.Expression is DeclarationExpressionSyntax declaration
                && _model.GetOperation(declaration, _cancellationToken) is IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared })
            {
                DeclareNestedOut(declared.Local, type);
            }

            Report(DiagnosticDescriptors.DerivativeCallCannotNest, syntax.GetLocation(), callee.Name, _method.Name, refusal);
            result = Dummy(type);
            return true;
        }

        result = LowerNestedCall(syntax, callee, type, asStatement);
        return true;
    }

    /// <summary>
    /// Why the call's value cannot be used where it is, or null. The generator sees the call unbound, so its value has
    /// no type there: it may only initialise a local declared with its type or be assigned in a statement of its own.
    /// </summary>
    private static string? UseRefusal(InvocationExpressionSyntax syntax, bool asStatement)
    {
        SyntaxNode node = syntax;
        while (node.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            node = parenthesized;
        }

        bool typedLocal = node.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type.IsVar: false } } };
        bool assigned = node.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Parent: ExpressionStatementSyntax } assignment && assignment.Right == node;
        if (!asStatement && !typedLocal && !assigned)
        {
            return "its value is used inside a larger expression or a var declaration; assign it first to a local declared with its type (double value = …)";
        }

        return syntax.ArgumentList.Arguments.LastOrDefault()?.Expression is DeclarationExpressionSyntax { Type.IsVar: true }
            ? "the tangent is declared with var; declare it with its type (out double tangent)"
            : null;
    }

    /// <summary>Why the call's arguments do not have the derivative's shape, or null.</summary>
    private static string? ShapeRefusal(InvocationExpressionSyntax syntax, NestedCallee callee)
    {
        SeparatedSyntaxList<ArgumentSyntax> arguments = syntax.ArgumentList.Arguments;
        int n = callee.Method.Parameters.Length;
        int expected = n + callee.Wrt.Count + (callee.Form == NestedForm.Gradient ? 0 : 1);
        const string Fix = "; pass every argument by position, the gradient arguments with ref and the tangent with out";
        if (arguments.Count != expected || arguments.Any(a => a.NameColon is not null))
        {
            return "its arguments are not the " + expected + " positional arguments of " + callee.Form.ToString().ToLowerInvariant() + " '" + callee.Name + "'" + Fix;
        }

        for (int i = 0; i < arguments.Count; i++)
        {
            bool derivative = callee.Form switch
            {
                NestedForm.Gradient => i >= n,
                NestedForm.Pullback => i > n,
                _ => i == arguments.Count - 1,
            };
            SyntaxKind expectedKind = !derivative ? SyntaxKind.None : callee.Form == NestedForm.Pushforward ? SyntaxKind.OutKeyword : SyntaxKind.RefKeyword;
            if (!arguments[i].RefKindKeyword.IsKind(expectedKind))
            {
                return "argument " + (i + 1) + " is not passed as the " + callee.Form.ToString().ToLowerInvariant() + " takes it" + Fix;
            }
        }

        return null;
    }

    private Expr? LowerNestedCall(InvocationExpressionSyntax syntax, NestedCallee callee, TypeRef type, bool asStatement)
    {
        IMethodSymbol method = callee.Method;
        SeparatedSyntaxList<ArgumentSyntax> arguments = syntax.ArgumentList.Arguments;
        int n = method.Parameters.Length;
        var types = method.Parameters.Select(p => TypeClassifier.Classify(p.Type)).ToList();
        var names = method.Parameters.Select(p => p.Name).ToList();
        IOperation Argument(int i) => _model.GetOperation(arguments[i].Expression, _cancellationToken)!;

        // Each input is evaluated once, as C# evaluates an argument, however many calls read it.
        var primal = new List<Expr>();
        for (int i = 0; i < n; i++)
        {
            primal.Add(Once(ConvertTo(LowerExpr(Argument(i)), types[i]), names[i]));
        }

        // The derivative arguments after the inputs: the pullback's seed, the tangents, the gradient and tangent targets.
        int at = n;
        Expr? seed = callee.Form == NestedForm.Pullback ? Once(ConvertTo(LowerExpr(Argument(at++)), type), "seed") : null;
        var tangents = new List<Expr>();
        var targets = new List<Expr>();
        for (int k = 0; k < callee.Wrt.Count; k++, at++)
        {
            if (callee.Form == NestedForm.Pushforward)
            {
                tangents.Add(Once(ConvertTo(LowerExpr(Argument(at)), type), "d" + names[callee.Wrt[k]]));
            }
            else
            {
                targets.Add(LowerTarget(Argument(at)));
            }
        }

        if (callee.Form == NestedForm.Pushforward)
        {
            // out double t declares the tangent's local (UseRefusal has refused out var: unbound, it has no type).
            targets.Add(Argument(at) is IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }
                ? DeclareNestedOut(declared.Local, type)
                : LowerTarget(Argument(at)));
        }

        string typeName = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ".";
        string nested = NestedNames.Stem(callee.Stem);
        var adjointSlots = types.Select(t => t.IsRealScalar ? AdjointSlot.RefScalar : AdjointSlot.None).ToList();
        var tangentSlots = types.Select(t => t.IsRealScalar ? TangentSlot.Scalar : TangentSlot.None).ToList();

        // A helper of the callee's inputs (and of the seed or tangents) with a derivative; its trailing extra
        // parameters are real scalars (seed, tangents) or the int ordinal of a component.
        CallSpec Helper(string helper, IEnumerable<Expr> extra, IEnumerable<string> extraNames)
        {
            var args = primal.Concat(extra).ToList();
            var all = types.Concat(args.Skip(n).Select(a => a.Type)).ToList();
            return new CallSpec(
                typeName + helper,
                type,
                args.ToEquatableArray(),
                all.ToEquatableArray(),
                names.Concat(extraNames).ToEquatableArray(),
                new[] { new CalleeVariant(typeName + NestedNames.PullbackOf(helper), all.Select(t => t.IsRealScalar ? AdjointSlot.RefScalar : AdjointSlot.None).ToEquatableArray()) }.ToEquatableArray(),
                PullbackTakesSeed: true)
            {
                Pushforwards = new[] { new PushforwardVariant(typeName + NestedNames.PushforwardOf(helper), all.Select(t => t.IsRealScalar ? TangentSlot.Scalar : TangentSlot.None).ToEquatableArray()) }.ToEquatableArray(),
            };
        }

        if (callee.Form == NestedForm.Pushforward)
        {
            // The tangent is the helper's value: what the user's pushforward computes along the tangents.
            Var tangent = Call(Helper(NestedNames.Tangent(nested), tangents, callee.Wrt.Select(i => "d" + names[i])), "tangent", syntax);
            _current.Add(new Assign(targets[0], ConvertTo(tangent, targets[0].Type)));
        }
        else
        {
            // Each component the user's gradient or pullback adds, all computed before any target is written (a
            // target may also be an input), then added into the targets as the generated method adds them.
            var partials = new List<Var>();
            foreach (int parameter in callee.Wrt)
            {
                CallSpec helper = seed is null
                    ? Helper(NestedNames.Partial(nested), new[] { LiteralFormatter.Int(parameter) }, new[] { "parameter" })
                    : Helper(NestedNames.SeededPartial(nested), new[] { seed, LiteralFormatter.Int(parameter) }, new[] { "seed", "parameter" });
                partials.Add(Call(helper, "partial" + char.ToUpperInvariant(names[parameter][0]) + names[parameter].Substring(1), syntax));
            }

            for (int k = 0; k < partials.Count; k++)
            {
                _current.Add(new Assign(targets[k], new Binary(targets[k].Type, BinaryOp.Add, targets[k], ConvertTo(partials[k], targets[k].Type))));
            }
        }

        if (asStatement)
        {
            return null;
        }

        // The value G(p…), differentiated with respect to every input (G's own gradient may name fewer).
        var value = new CallSpec(
            typeName + method.Name,
            type,
            primal.ToEquatableArray(),
            types.ToEquatableArray(),
            names.ToEquatableArray(),
            new[] { new CalleeVariant(typeName + nested + "Pullback", adjointSlots.ToEquatableArray()) }.ToEquatableArray(),
            PullbackTakesSeed: true)
        {
            Pushforwards = new[] { new PushforwardVariant(typeName + GeneratedNames.Pushforward(nested), tangentSlots.ToEquatableArray()) }.ToEquatableArray(),
        };
        return Call(value, char.ToLowerInvariant(method.Name[0]) + method.Name.Substring(1), syntax);
    }

    private Var DeclareNestedOut(ILocalSymbol local, TypeRef type)
    {
        Var variable = Claim(local, local.Name, type);
        _current.Add(new Declare(variable.Name, type, null));
        return variable;
    }

    /// <summary><c>T name = M(args);</c> as a call with a derivative; its result.</summary>
    private Var Call(CallSpec spec, string preferred, InvocationExpressionSyntax syntax)
    {
        if (!CallLocations.ContainsKey(spec.Method))
        {
            CallLocations[spec.Method] = syntax.GetLocation();
        }

        string result = _names.Unique(preferred);
        _claimed.Add(result);
        _current.Add(new CallStmt(result, spec));
        return new Var(spec.ReturnType, result);
    }

    /// <summary>An expression used more than once, evaluated once into a local unless it is a variable or literal.</summary>
    private Expr Once(Expr value, string preferred)
    {
        if (value is Var or Literal)
        {
            return value;
        }

        string name = _names.Unique(preferred);
        _claimed.Add(name);
        _current.Add(new Declare(name, value.Type, value));
        return new Var(value.Type, name);
    }
}
