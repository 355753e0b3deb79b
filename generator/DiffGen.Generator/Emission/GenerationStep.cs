using System;
using System.Collections.Generic;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Differentiation;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DiffGen.Generator.Emission;

/// <summary>Differentiates a parsed method and adds the source; failures become diagnostics, never exceptions.</summary>
internal static class GenerationStep
{
    public static void Execute(SourceProductionContext context, DifferentiableMethodSpec spec, GenerationOptions options)
    {
        string? text = TryGenerate(spec, options, out Diagnostic? failure);
        if (failure is not null)
        {
            context.ReportDiagnostic(failure);
        }

        if (text is not null)
        {
            context.AddSource(spec.HintName, SourceText.From(text, System.Text.Encoding.UTF8));
        }
    }

    /// <summary>The generated file, or null with a diagnostic. Shared by the generator and the tests.</summary>
    public static string? TryGenerate(DifferentiableMethodSpec spec, GenerationOptions options, out Diagnostic? failure)
    {
        failure = null;
        try
        {
            var pullbacks = new List<GeneratedPullback>();
            foreach (GradientSpec gradient in spec.Gradients)
            {
                object built = ReverseModeBuilder.Build(spec, gradient, options);
                if (built is DifferentiationFailure problem)
                {
                    string[] parts = problem.Message.Split('\n');
                    failure = Diagnostic.Create(DiagnosticDescriptors.CalleeNotDifferentiableForArgument, Location.None, parts[0], parts.Length > 1 ? parts[1] : "?", spec.MethodName);
                    return null;
                }

                pullbacks.Add((GeneratedPullback)built);
            }

            return Emitter.Emit(spec, pullbacks);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, spec.MethodName, ex.GetType().Name + ": " + ex.Message);
            return null;
        }
    }
}
