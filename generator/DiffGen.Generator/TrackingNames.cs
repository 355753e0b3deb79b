namespace DiffGen.Generator;

/// <summary>Names of the incremental steps, asserted by the caching tests.</summary>
public static class TrackingNames
{
    public const string Parsed = nameof(Parsed);
    public const string MethodSpec = nameof(MethodSpec);
    public const string Diagnostics = nameof(Diagnostics);
    public const string DerivativeChecks = nameof(DerivativeChecks);
    public const string Options = nameof(Options);
    public const string Generated = nameof(Generated);
    public const string WithoutDerivatives = nameof(WithoutDerivatives);
    public const string Models = nameof(Models);
}
