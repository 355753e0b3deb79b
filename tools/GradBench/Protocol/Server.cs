using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace DiffGen.GradBench.Protocol;

/// <summary>
/// The tool side of gradbench's protocol (its CONTRIBUTING.md, "Protocol"): one JSON message per line on the input, one
/// JSON response per line on the output, each carrying the message's <c>id</c>. <c>start</c> is answered with the tool's
/// name; <c>define</c> with whether the module is known; <c>evaluate</c> with the function's <c>output</c> and one
/// <c>evaluate</c> timing per run (<see cref="Runs"/>), or <c>success: false</c> and an <c>error</c>; every other kind
/// (<c>analysis</c>, …) with the id alone.
/// </summary>
public sealed class Server
{
    /// <summary>The name this tool gives in its <c>start</c> response.</summary>
    public const string ToolName = "diffgen";

    private readonly Dictionary<string, IModule> _modules = new(StringComparer.Ordinal);
    private readonly string _variant;

    /// <param name="modules">The modules the tool implements.</param>
    /// <param name="variant">Reported in the <c>start</c> response's <c>config</c> (generated or hand-written).</param>
    public Server(IEnumerable<IModule> modules, string variant)
    {
        foreach (IModule module in modules)
        {
            _modules.Add(module.Name, module);
        }

        _variant = variant;
    }

    /// <summary>Answers every line of <paramref name="input"/> until it ends; each response is flushed at once.</summary>
    public void Run(TextReader input, TextWriter output)
    {
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            output.Write(Respond(line));
            output.Write('\n');
            output.Flush();
        }
    }

    /// <summary>The response line (without its newline) to one message line.</summary>
    public string Respond(string line)
    {
        using JsonDocument message = JsonDocument.Parse(line);
        JsonElement root = message.RootElement;
        JsonElement id = root.GetProperty("id");
        string kind = root.TryGetProperty("kind", out JsonElement k) ? k.GetString() ?? "" : "";
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            switch (kind)
            {
                case "start":
                    writer.WriteString("tool", ToolName);
                    writer.WriteStartObject("config");
                    writer.WriteString("variant", _variant);
                    writer.WriteEndObject();
                    break;
                case "define":
                    Define(root, writer);
                    break;
                case "evaluate":
                    writer.Flush();
                    return Evaluate(root, id, buffer, writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void Define(JsonElement root, Utf8JsonWriter writer)
    {
        string module = root.GetProperty("module").GetString() ?? "";
        bool known = _modules.ContainsKey(module);
        writer.WriteBoolean("success", known);
        if (!known)
        {
            writer.WriteString("error", $"unknown module '{module}'; this tool has {string.Join(", ", _modules.Keys)}");
        }
    }

    private string Evaluate(JsonElement root, JsonElement id, MemoryStream buffer, Utf8JsonWriter writer)
    {
        // The output is written into its own buffer first: a failure part-way leaves a well-formed error response.
        var result = new MemoryStream();
        List<long> timings;
        try
        {
            string moduleName = root.GetProperty("module").GetString() ?? "";
            string function = root.GetProperty("function").GetString() ?? "";
            if (!_modules.TryGetValue(moduleName, out IModule? module))
            {
                throw new UnsupportedFunctionException($"unknown module '{moduleName}'");
            }

            JsonElement input = root.GetProperty("input");
            Evaluation evaluation = module.Prepare(function, input);
            (int minRuns, double minSeconds) = Runs.Read(input);
            timings = Runs.Measure(evaluation, minRuns, minSeconds);
            using var outputWriter = new Utf8JsonWriter(result);
            evaluation.WriteOutput(outputWriter);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            writer.WriteBoolean("success", false);
            writer.WriteString("error", ex is UnsupportedFunctionException ? ex.Message : ex.ToString());
            writer.WriteEndObject();
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        writer.WriteBoolean("success", true);
        writer.WritePropertyName("output");
        writer.WriteRawValue(result.ToArray(), skipInputValidation: true);
        writer.WriteStartArray("timings");
        foreach (long nanoseconds in timings)
        {
            writer.WriteStartObject();
            writer.WriteString("name", "evaluate");
            writer.WriteNumber("nanoseconds", nanoseconds);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
