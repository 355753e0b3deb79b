namespace DiffGen.Generator.Diagnostics;

/// <summary>Diagnostic ids. Never reuse one; the next id is the highest in AnalyzerReleases.Shipped.md + 1.</summary>
public static class DiagnosticIds
{
    public const string ContainingTypeMustBePartial = "DG0001";
    public const string MethodMustNotBeVirtual = "DG0002";
    public const string UnsupportedReturnType = "DG0003";
    public const string UnknownWrtParameter = "DG0004";
    public const string WrtParameterNotDifferentiable = "DG0005";
    public const string DuplicateGeneratedName = "DG0006";
    public const string UnsupportedStatement = "DG0007";
    public const string UnsupportedExpression = "DG0008";
    public const string CallWithoutDerivative = "DG0009";
    public const string UnsupportedParameter = "DG0010";
    public const string GenericMethodNotSupported = "DG0011";
    public const string WriteToDifferentiatedInput = "DG0012";
    public const string NameRequiredOnAdditionalAttribute = "DG0013";
    public const string RecursionNotSupported = "DG0014";
    public const string CalleeNotDifferentiableForArgument = "DG0015";
    public const string MethodHasNoBody = "DG0016";
    public const string NoDifferentiableParameters = "DG0017";
    public const string DerivativeSignatureMismatch = "DG0018";
    public const string DerivativeTargetNotFound = "DG0019";

    public const string WrtParameterHasNoEffect = "DG0020";
    public const string NonSmoothOperation = "DG0021";
    public const string CallMustBeHoisted = "DG0022";
    public const string LambdaOrQuery = "DG0023";
    public const string VectorLocalNotAtTopLevel = "DG0024";
    public const string GenerateDoesNotFit = "DG0025";
    public const string CalleeHasNoPushforward = "DG0026";
    public const string RegisteredPushforwardMissing = "DG0027";
    public const string OutputMisused = "DG0028";
    public const string DerivativeCallCannotNest = "DG0029";
    public const string InternalError = "DG9999";
}
