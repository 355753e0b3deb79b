using System.Collections.Generic;
using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Sizes and settings read from objects (<c>layer.In</c>, <c>this.Steps</c>, <c>config.Width</c>) that cannot change
/// during the call — a readonly field or a get-only (or init-only) auto-property of a receiver that is never reassigned —
/// are read once, into a local declared where the receiver is bound (the method's top for parameters and <c>this</c>,
/// after the declaration for a local or an inlined helper's parameter). Every later read is that local: a loop bounded by
/// <c>layer.Out</c> is then a counted loop, and nothing is re-read or taped per iteration. Only receivers that cannot be
/// null (a struct, <c>this</c>, or a reference declared non-nullable) move, so no read throws earlier than the code's own.
/// </summary>
internal sealed partial class BodyLowering
{
    private readonly Dictionary<string, (List<Stmt> List, Declare Declaration, bool TopLevel)> _objectDeclarations = new();
    private readonly Dictionary<(string Receiver, string Member), Var> _stableReads = new();
    private readonly HashSet<IParameterSymbol> _reassignedParameters = new(SymbolEqualityComparer.Default);

    /// <summary>The method's parameters assigned anywhere in its body (their reads are not stable).</summary>
    private void FindReassignedParameters(IOperation body)
    {
        foreach (IOperation o in body.Descendants())
        {
            if (WrittenTarget(o) is IParameterReferenceOperation { Parameter: var p })
            {
                _reassignedParameters.Add(p);
            }
        }
    }

    /// <summary>Remembers where an object local (or an inlined helper's object parameter, never reassigned) is declared.</summary>
    private void RecordObjectDeclaration(ISymbol symbol, Declare declaration, bool reassigned)
    {
        if (!reassigned && CannotBeNull(symbol switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, _ => null }))
        {
            _objectDeclarations[declaration.Name] = (_current, declaration, _nestingDepth == 0 && _inlining.Count == 0);
        }
    }

    /// <summary>The local holding a stable member read, or null when the read is not one.</summary>
    /// <param name="operation">The member read.</param>
    /// <param name="type">Its type.</param>
    /// <param name="unwrittenSuffices">
    /// Also a writable field or auto-property of one of the method's own parameters that the method never assigns
    /// (<c>batch.X</c> of a data struct or object read in a loop): nothing in the call changes it.
    /// </param>
    private Var? StableRead(IOperation operation, TypeRef type, bool unwrittenSuffices = false)
    {
        (ISymbol? member, IOperation? instance) = operation switch
        {
            IFieldReferenceOperation { Field: { IsReadOnly: true, IsStatic: false } field, Instance: { } receiver } => ((ISymbol)field, receiver),
            IPropertyReferenceOperation { Property: { IsIndexer: false, IsStatic: false } property, Instance: { } receiver } when IsStableProperty(property) => (property, receiver),
            IFieldReferenceOperation { Field.IsStatic: false, Instance: IParameterReferenceOperation { Parameter: var owner } receiver } field
                when unwrittenSuffices && !MemberWritten(RootOf(operation), owner, field.Field) => (field.Field, receiver),
            IPropertyReferenceOperation { Property: { IsIndexer: false, IsStatic: false } property, Instance: IParameterReferenceOperation { Parameter: var owner } receiver }
                when unwrittenSuffices && IsAutoProperty(property) && !MemberWritten(RootOf(operation), owner, property) => (property, receiver),
            _ => (null, null),
        };
        if (member is null || instance is null || type.Element is ElementKind.Other or ElementKind.Void || type.IsVector && type.Shape != Shape.Array)
        {
            return null;
        }

        (string Key, Var? Receiver, List<Stmt> List, int At, bool TopLevel)? site = instance switch
        {
            IInstanceReferenceOperation when _receiver is null && _structReceiver is null && _inlining.Count == 0 => ("this", null, _prologue, _prologue.Count, true),
            IParameterReferenceOperation { Parameter: var p } when SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, _method)
                && !_reassignedParameters.Contains(p) && CannotBeNull(p.Type) && _variables.TryGetValue(p, out Var? own) => (own.Name, own, _prologue, _prologue.Count, true),
            ILocalReferenceOperation or IParameterReferenceOperation when ObjectVariable(instance) is { } v && _objectDeclarations.TryGetValue(v.Name, out var declared)
                => (v.Name, v, declared.List, declared.List.IndexOf(declared.Declaration) + 1, declared.TopLevel),
            _ => null,
        };

        // An array is a vector, and the IR declares vectors at the method's top level only.
        if (site is not { } s || s.At <= 0 && s.List != _prologue || type.IsVector && !s.TopLevel)
        {
            return null;
        }

        if (_stableReads.TryGetValue((s.Key, member.Name), out Var? known))
        {
            return known;
        }

        string bare = member.Name.TrimStart('_');
        string name = _names.Unique(s.Key == "this" ? char.ToLowerInvariant(bare[0]) + bare.Substring(1) : s.Key + char.ToUpperInvariant(bare[0]) + bare.Substring(1));
        _claimed.Add(name);
        Opaque value = s.Receiver is { } holder
            ? new Opaque(type, new[] { string.Empty, "." + member.Name }.ToEquatableArray(), new Expr[] { holder }.ToEquatableArray(), EquatableArray<string>.Empty)
            : new Opaque(type, new[] { "this." + member.Name }.ToEquatableArray(), EquatableArray<Expr>.Empty, EquatableArray<string>.Empty);

        s.List.Insert(s.At, new Declare(name, type, value));
        var local = new Var(type, name);
        _stableReads[(s.Key, member.Name)] = local;
        return local;
    }

    private Var? ObjectVariable(IOperation instance) =>
        VariableSymbol(instance) is { } symbol && _variables.TryGetValue(symbol, out Var? v) ? v : null;

    /// <summary>A get-only or init-only auto-property declared in source: a field in disguise.</summary>
    private static bool IsStableProperty(IPropertySymbol property) => property.SetMethod is null or { IsInitOnly: true } && IsAutoProperty(property);

    /// <summary>An auto-property declared in source (no accessor bodies): reading it reads a field.</summary>
    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.GetMethod is not null && property.DeclaringSyntaxReferences.Length > 0
        && property.DeclaringSyntaxReferences.All(r => r.GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
            && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null));

    /// <summary>What an operation writes: an assignment's or increment's target, or an argument passed by reference.</summary>
    private static IOperation? WrittenTarget(IOperation operation) => operation switch
    {
        IAssignmentOperation a => a.Target,
        IIncrementOrDecrementOperation i => i.Target,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
        _ => null,
    };

    /// <summary>Whether the body assigns the member on the parameter (<c>batch.X = …</c>), or passes it by reference.</summary>
    private static bool MemberWritten(IOperation root, IParameterSymbol owner, ISymbol member) =>
        root.Descendants().Any(o => WrittenTarget(o) is IMemberReferenceOperation { Instance: IParameterReferenceOperation { Parameter: var p } } reference
            && SymbolEqualityComparer.Default.Equals(p, owner) && SymbolEqualityComparer.Default.Equals(reference.Member, member));

    private static bool CannotBeNull(ITypeSymbol? type) =>
        type is not null && (type.IsValueType || type.NullableAnnotation == NullableAnnotation.NotAnnotated && type.TypeKind != TypeKind.TypeParameter);
}
