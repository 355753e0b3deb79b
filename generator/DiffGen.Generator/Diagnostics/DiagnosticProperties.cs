namespace DiffGen.Generator.Diagnostics;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that the code fixes read.</summary>
public static class DiagnosticProperties
{
    /// <summary>DG0004: the parameter name closest to the misspelled one.</summary>
    public const string Suggestion = nameof(Suggestion);
}
