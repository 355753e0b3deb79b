using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Diagnostics;

/// <summary>The one catalog of DiffGen diagnostics. Each id has a page at docs/diagnostics/{id}.md.</summary>
public static class DiagnosticDescriptors
{
    private const string Usage = "DiffGen.Usage";
    private const string Support = "DiffGen.Support";
    private const string Accuracy = "DiffGen.Accuracy";
    private const string HelpRoot = "https://github.com/diffgen/diffgen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor ContainingTypeMustBePartial = Error(
        DiagnosticIds.ContainingTypeMustBePartial, Usage,
        "Type containing a [Differentiable] method must be partial",
        "Type '{0}' must be declared partial so DiffGen can add the gradient of '{1}' to it");

    public static readonly DiagnosticDescriptor MethodMustNotBeVirtual = Error(
        DiagnosticIds.MethodMustNotBeVirtual, Usage,
        "[Differentiable] method must not be virtual",
        "Method '{0}' is virtual, abstract or a non-sealed override: calls may run another body than the one differentiated; make it non-virtual or seal it");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        DiagnosticIds.UnsupportedReturnType, Usage,
        "[Differentiable] method must return float or double",
        "Method '{0}' returns '{1}'; a [Differentiable] method must return float or double");

    public static readonly DiagnosticDescriptor UnknownWrtParameter = Error(
        DiagnosticIds.UnknownWrtParameter, Usage,
        "Unknown parameter in [Differentiable]",
        "Method '{0}' has no parameter, field or property named '{1}'{2}");

    public static readonly DiagnosticDescriptor WrtParameterNotDifferentiable = Error(
        DiagnosticIds.WrtParameterNotDifferentiable, Usage,
        "Parameter cannot be differentiated",
        "Parameter '{0}' has type '{1}'; only float and double scalars, arrays, Span<T> and ReadOnlySpan<T> of them, and model types holding such fields (docs/models.md), can be differentiated");

    public static readonly DiagnosticDescriptor DuplicateGeneratedName = Error(
        DiagnosticIds.DuplicateGeneratedName, Usage,
        "Generated method name is already used",
        "The generated method name '{0}' is already used{1}; set a different Name");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error(
        DiagnosticIds.UnsupportedStatement, Support,
        "Statement cannot be differentiated",
        "DiffGen cannot differentiate this statement ({0}) in '{1}'{2}");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error(
        DiagnosticIds.UnsupportedExpression, Support,
        "Expression cannot be differentiated",
        "DiffGen cannot differentiate this expression ({0}) in '{1}'{2}");

    public static readonly DiagnosticDescriptor CallWithoutDerivative = Error(
        DiagnosticIds.CallWithoutDerivative, Support,
        "Called method has no derivative",
        "'{0}' has no known derivative; mark it [Differentiable], register a pullback with [DerivativeOf], or mark it [NoDerivative] to treat its result as a constant");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error(
        DiagnosticIds.UnsupportedParameter, Support,
        "Parameter kind not supported",
        "Parameter '{0}' of '{1}' cannot be used by DiffGen: {2}");

    public static readonly DiagnosticDescriptor GenericMethodNotSupported = Error(
        DiagnosticIds.GenericMethodNotSupported, Support,
        "Generic [Differentiable] methods are not supported",
        "Method '{0}' is generic; write it for float or double");

    public static readonly DiagnosticDescriptor WriteToDifferentiatedInput = Error(
        DiagnosticIds.WriteToDifferentiatedInput, Usage,
        "Cannot write to an input that is differentiated",
        "'{0}' is differentiated and must not be written in '{1}'; copy it into a local buffer first");

    public static readonly DiagnosticDescriptor NameRequiredOnAdditionalAttribute = Error(
        DiagnosticIds.NameRequiredOnAdditionalAttribute, Usage,
        "Additional [Differentiable] attribute needs a Name",
        "Method '{0}' has more than one [Differentiable] attribute; set Name on each additional one");

    public static readonly DiagnosticDescriptor RecursionNotSupported = Error(
        DiagnosticIds.RecursionNotSupported, Support,
        "Recursion through an inlined helper is not supported",
        "'{0}' calls itself recursively; make it a static [Differentiable] method (its pullback recurses with it) or rewrite the recursion as a loop");

    public static readonly DiagnosticDescriptor CalleeNotDifferentiableForArgument = Error(
        DiagnosticIds.CalleeNotDifferentiableForArgument, Support,
        "Callee is not differentiated with respect to this argument",
        "'{0}' has no pullback with respect to parameter '{1}', but in '{2}' the argument depends on a differentiated input; add it to the callee's [Differentiable] list");

    public static readonly DiagnosticDescriptor MethodHasNoBody = Error(
        DiagnosticIds.MethodHasNoBody, Usage,
        "[Differentiable] method has no body",
        "Method '{0}' has no body to differentiate");

    public static readonly DiagnosticDescriptor NoDifferentiableParameters = Error(
        DiagnosticIds.NoDifferentiableParameters, Usage,
        "Nothing to differentiate",
        "Method '{0}' has no float or double parameter to differentiate with respect to");

    public static readonly DiagnosticDescriptor DerivativeSignatureMismatch = Error(
        DiagnosticIds.DerivativeSignatureMismatch, Usage,
        "Custom derivative has the wrong signature",
        "'{0}' is registered as the pullback of '{1}' but does not follow the pullback convention; expected {2}");

    public static readonly DiagnosticDescriptor DerivativeTargetNotFound = Error(
        DiagnosticIds.DerivativeTargetNotFound, Usage,
        "Custom derivative target not found",
        "[DerivativeOf] names '{0}.{1}', which does not exist");
    public static readonly DiagnosticDescriptor WrtParameterHasNoEffect = new(
        DiagnosticIds.WrtParameterHasNoEffect,
        "The result does not depend on a differentiated parameter",
        "The gradient of '{0}' with respect to '{1}' is always zero: no derivative flows from '{1}' to the result; remove it from the [Differentiable] list or check the formula",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + DiagnosticIds.WrtParameterHasNoEffect + ".md");

    public static readonly DiagnosticDescriptor NonSmoothOperation = new(
        DiagnosticIds.NonSmoothOperation,
        "Non-smooth operation on a differentiated value",
        "'{0}' is not differentiable everywhere; the derivative uses the convention: {1}",
        Accuracy, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + DiagnosticIds.NonSmoothOperation + ".md");

    public static readonly DiagnosticDescriptor CallMustBeHoisted = Error(
        DiagnosticIds.CallMustBeHoisted, Support,
        "Call must be assigned to a local first",
        "The call to '{0}' in '{1}' sits in {2}, which may run zero or many times; assign its result to a local before that statement");

    public static readonly DiagnosticDescriptor LambdaOrQuery = Error(
        DiagnosticIds.LambdaOrQuery, Support,
        "Lambdas, delegates and LINQ cannot be differentiated",
        "DiffGen cannot differentiate {0} in '{1}'; write a loop, or a local function (local functions are inlined)");

    public static readonly DiagnosticDescriptor VectorLocalNotAtTopLevel = Error(
        DiagnosticIds.VectorLocalNotAtTopLevel, Support,
        "Array or span local must be declared at the top level",
        "The vector '{0}' in '{1}' is declared inside a loop, a branch, a local function or after a return; declare it once at the top of the method and reuse it (a buffer whose size changes per iteration, such as a layer's activations, sized for the largest: new T[model.Width])");

    public static readonly DiagnosticDescriptor GenerateDoesNotFit = Error(
        DiagnosticIds.GenerateDoesNotFit, Usage,
        "Requested derivatives do not fit the method",
        "'{0}' cannot generate what Generate asks for: {1}");

    public static readonly DiagnosticDescriptor CalleeHasNoPushforward = Error(
        DiagnosticIds.CalleeHasNoPushforward, Support,
        "Callee has no pushforward for this argument",
        "'{0}' generates no pushforward with respect to parameter '{1}', but forward mode of '{2}' passes it a tangent; add Derivatives.Forward to the callee's Generate and '{1}' to its [Differentiable] list");

    public static readonly DiagnosticDescriptor RegisteredPushforwardMissing = Error(
        DiagnosticIds.RegisteredPushforwardMissing, Support,
        "Registered derivative has no pushforward",
        "'{0}' has a registered pullback but no registered pushforward, which forward mode of '{1}' needs; add a [DerivativeOf(..., Form = DerivativeForm.Pushforward)] method");

    public static readonly DiagnosticDescriptor OutputMisused = Error(
        DiagnosticIds.OutputMisused, Usage,
        "[Output] parameter misused",
        "'{0}' of '{1}': {2}");

    public static readonly DiagnosticDescriptor DerivativeCallCannotNest = Error(
        DiagnosticIds.DerivativeCallCannotNest, Support,
        "A generated derivative cannot be differentiated",
        "'{0}' is a derivative DiffGen generated; '{1}' cannot be differentiated through it: {2}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        DiagnosticIds.InternalError, Support,
        "DiffGen internal error",
        "DiffGen failed on '{0}' ({1}); no gradient was generated. Please report this with the method's code.");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
}
