using System;
using System.Text.Json;

namespace DiffGen.GradBench.Protocol;

/// <summary>
/// One <c>evaluate</c> request made ready to run: its input already parsed and its buffers allocated, so that
/// <see cref="Run"/> is only the function being measured; <see cref="WriteOutput"/> writes the last run's result as the
/// response's <c>output</c>.
/// </summary>
public sealed class Evaluation(Action run, Action<Utf8JsonWriter> writeOutput)
{
    /// <summary>Evaluates the function once (timed by the caller).</summary>
    public void Run() => run();

    /// <summary>Writes the result of the last <see cref="Run"/> as one JSON value.</summary>
    public void WriteOutput(Utf8JsonWriter writer) => writeOutput(writer);
}

/// <summary>
/// A gradbench module (one eval's functions): prepares an <see cref="Evaluation"/> of a named function for an input,
/// or says why it cannot.
/// </summary>
public interface IModule
{
    /// <summary>The module's name as the eval's <c>define</c> message gives it.</summary>
    string Name { get; }

    /// <summary>The functions this module evaluates, by the names the eval's <c>evaluate</c> messages use.</summary>
    System.Collections.Generic.IReadOnlyCollection<string> Functions { get; }

    /// <summary>
    /// Parses <paramref name="input"/> and prepares <paramref name="function"/>; throws <see cref="UnsupportedFunctionException"/>
    /// when the function is not implemented in this variant, and any exception when the input is malformed.
    /// </summary>
    Evaluation Prepare(string function, JsonElement input);
}

/// <summary>The function cannot be evaluated by this tool variant; the message says why.</summary>
public sealed class UnsupportedFunctionException(string message) : Exception(message);
