using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.Parsing;

/// <summary>
/// Names an unsupported statement or expression the way a user would, with the usual way around it
/// (the "{0}" and "{2}" of DG0007/DG0008).
/// </summary>
internal static class UnsupportedConstructs
{
    /// <summary>True for constructs with their own diagnostic (DG0023): lambdas, delegates, LINQ.</summary>
    public static bool IsLambdaOrQuery(IOperation operation) => operation is IAnonymousFunctionOperation
        or IDelegateCreationOperation
        or IMethodReferenceOperation
        or ITranslatedQueryOperation
        or IInvocationOperation { TargetMethod.ContainingType: { Name: "Enumerable" or "Queryable", ContainingNamespace.Name: "Linq" } };

    /// <summary>How DG0023 names the construct.</summary>
    public static string LambdaKind(IOperation operation) => operation switch
    {
        ITranslatedQueryOperation => "a LINQ query",
        IInvocationOperation invocation => "the LINQ call '" + invocation.TargetMethod.Name + "'",
        IMethodReferenceOperation => "a method group used as a delegate",
        _ => "a lambda or anonymous method",
    };

    /// <summary>A short description of <paramref name="operation"/> and a hint (starting with "; ") on how to avoid it.</summary>
    public static (string What, string Hint) Explain(IOperation operation)
    {
        SyntaxNode syntax = operation.Syntax;
        if (syntax.IsKind(SyntaxKind.UnsafeStatement) || syntax.IsKind(SyntaxKind.FixedStatement)
            || operation is IAddressOfOperation)
        {
            return ("unsafe code", "; pointers carry no derivative: use arrays or spans");
        }

        if (operation.Type?.SpecialType == SpecialType.System_String || operation is IInterpolatedStringOperation)
        {
            return ("string operation", "; strings carry no derivative: build them outside the [Differentiable] method");
        }

        return operation switch
        {
            ITryOperation => ("try statement", "; move the try/catch to the caller and keep the math in the method"),
            IBranchOperation { BranchKind: BranchKind.GoTo } => ("goto", "; use structured if/for/while with break or continue"),
            ILabeledOperation => ("labeled statement", "; use structured if/for/while with break or continue"),
            IWhileLoopOperation { ConditionIsUntil: true } => ("until loop", "; rewrite it as a while loop"),
            ILockOperation => ("lock statement", "; take the lock in the caller"),
            IUsingOperation or IUsingDeclarationOperation => ("using statement", "; create and dispose the resource in the caller"),
            IThrowOperation => ("throw", "; validate the inputs in the caller"),
            IObjectCreationOperation creation => ("object creation 'new " + creation.Type?.Name + "'", "; only float, double, int, bool locals, arrays and spans are supported: pass objects' numbers as parameters"),
            IAnonymousObjectCreationOperation or ITupleOperation => ("tuple or anonymous object", "; use separate locals"),
            IArrayCreationOperation => ("array creation here", "; create arrays with new T[n] in a local declaration at the top level of the method"),
            IFieldReferenceOperation field => ("field '" + field.Field.Name + "'", field.Field.IsStatic && field.Field.IsReadOnly ? "; only float and double static readonly fields can be read" : "; pass the value as a parameter (fields are state, and state is not differentiated)"),
            IPropertyReferenceOperation property => ("property '" + property.Property.Name + "'", "; pass the value as a parameter"),
            IEventReferenceOperation or IEventAssignmentOperation => ("event", string.Empty),
            IAwaitOperation => ("await", "; [Differentiable] methods are synchronous"),
            IIsPatternOperation or IIsTypeOperation => ("pattern match", "; compare with <, ==, … instead"),
            ICoalesceOperation or IConditionalAccessOperation => ("null-coalescing or null-conditional operator", "; check for null in the caller"),
            IDefaultValueOperation => ("default value", "; write the literal 0"),
            ISizeOfOperation or ITypeOfOperation or INameOfOperation => ("type query", string.Empty),
            IStopOperation or IEndOperation => ("stop statement", string.Empty),
            _ => (operation.Kind.ToString() + " '" + Shorten(syntax.ToString()) + "'", string.Empty),
        };
    }

    private static string Shorten(string text)
    {
        int newline = text.IndexOfAny(new[] { '\r', '\n' });
        if (newline >= 0)
        {
            text = text.Substring(0, newline) + " …";
        }

        return text.Length > 60 ? text.Substring(0, 57) + "…" : text;
    }
}
