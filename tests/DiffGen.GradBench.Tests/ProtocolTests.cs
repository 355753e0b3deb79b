using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using DiffGen.GradBench.Modules;
using DiffGen.GradBench.Protocol;
using Xunit;

namespace DiffGen.GradBench.Tests;

/// <summary>
/// gradbench's protocol as its CONTRIBUTING.md specifies it: JSON lines in, one JSON line out per message with the same
/// id; start, define, evaluate (output and one "evaluate" timing per run, min_runs and min_seconds honoured) and
/// analysis; failures reported as success: false with an error, never as a crash or a missing line.
/// </summary>
public class ProtocolTests
{
    private static List<JsonElement> Session(Variant variant, params string[] lines)
    {
        var server = new Server(Module.All(variant), variant.ToString());
        var output = new StringWriter();
        server.Run(new StringReader(string.Join("\n", lines) + "\n"), output);
        string[] responses = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Count(l => l.Length > 0), responses.Length);
        return [.. responses.Select(r => JsonDocument.Parse(r).RootElement.Clone())];
    }

    private static void AssertTimings(JsonElement response, int atLeast)
    {
        JsonElement timings = response.GetProperty("timings");
        Assert.True(timings.GetArrayLength() >= atLeast, $"{timings.GetArrayLength()} timings, expected at least {atLeast}");
        foreach (JsonElement timing in timings.EnumerateArray())
        {
            Assert.Equal("evaluate", timing.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Number, timing.GetProperty("nanoseconds").ValueKind);
            Assert.True(timing.GetProperty("nanoseconds").TryGetInt64(out long ns) && ns >= 0);
        }
    }

    [Fact]
    public void HelloSessionAsTheHelloEvalRunsIt()
    {
        // The hello eval: start, define, then square and double alternating four times from x = 1, each followed by an
        // analysis message.
        var lines = new List<string> { """{"id":0,"kind":"start","eval":"hello"}""", """{"id":1,"kind":"define","module":"hello"}""" };
        List<JsonElement> responses = Session(Variant.Generated, [.. lines]);
        Assert.Equal(0, responses[0].GetProperty("id").GetInt32());
        Assert.Equal(Server.ToolName, responses[0].GetProperty("tool").GetString());
        Assert.True(responses[1].GetProperty("success").GetBoolean());

        var server = new Server(Module.All(Variant.Generated), "generated");
        double x = 1;
        int id = 2;
        for (int round = 0; round < 4; round++)
        {
            JsonElement square = JsonDocument.Parse(server.Respond($$"""{"id":{{id}},"kind":"evaluate","module":"hello","function":"square","input":{{Inputs.Json(x)}}}""")).RootElement;
            Assert.Equal(id, square.GetProperty("id").GetInt32());
            Assert.True(square.GetProperty("success").GetBoolean());
            double y = square.GetProperty("output").GetDouble();
            Assert.Equal(x * x, y);
            AssertTimings(square, 1);
            Assert.Equal(1, square.GetProperty("timings").GetArrayLength()); // no min_runs: one run
            JsonElement analysis = JsonDocument.Parse(server.Respond($$"""{"id":{{id + 1}},"kind":"analysis","of":{{id}},"valid":true}""")).RootElement;
            Assert.Equal(id + 1, analysis.GetProperty("id").GetInt32());
            Assert.Single(analysis.EnumerateObject());
            JsonElement twice = JsonDocument.Parse(server.Respond($$"""{"id":{{id + 2}},"kind":"evaluate","module":"hello","function":"double","input":{{Inputs.Json(y)}}}""")).RootElement;
            Assert.Equal(2 * y, twice.GetProperty("output").GetDouble());
            x = twice.GetProperty("output").GetDouble();
            id += 3;
        }

        Assert.Equal(2 * Math.Pow(2 * Math.Pow(2 * Math.Pow(2, 2), 2), 2), x); // 1 → 2 → 8 → 128 → 32768
    }

    [Fact]
    public void StartAndDefineResponses()
    {
        List<JsonElement> r = Session(
            Variant.Generated,
            """{"id":0,"kind":"start","eval":"gmm","config":{"n":1000}}""",
            """{"id":1,"kind":"define","module":"gmm"}""",
            """{"id":2,"kind":"define","module":"no-such-module"}""",
            """{"id":3,"kind":"something-new"}""");
        Assert.Equal("diffgen", r[0].GetProperty("tool").GetString());
        Assert.Equal("Generated", r[0].GetProperty("config").GetProperty("variant").GetString());
        Assert.True(r[1].GetProperty("success").GetBoolean());
        Assert.False(r[2].GetProperty("success").GetBoolean());
        Assert.Contains("no-such-module", r[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, r[3].GetProperty("id").GetInt32());
        Assert.Single(r[3].EnumerateObject());
    }

    [Fact]
    public void EveryEvalModuleIsDefined()
    {
        string[] evals = ["hello", "gmm", "ba", "ht", "lstm", "llsq", "lse", "ode", "det", "kmeans", "particle", "saddle"];
        List<JsonElement> r = Session(Variant.Generated, [.. evals.Select((e, i) => $$"""{"id":{{i}},"kind":"define","module":"{{e}}"}""")]);
        Assert.All(r, response => Assert.True(response.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public void MinRunsGivesThatManyTimings()
    {
        List<JsonElement> r = Session(
            Variant.Generated,
            """{"id":7,"kind":"evaluate","module":"lse","function":"gradient","input":{"x":[1,2,3],"min_runs":25,"min_seconds":0}}""");
        Assert.Equal(7, r[0].GetProperty("id").GetInt32());
        Assert.True(r[0].GetProperty("success").GetBoolean());
        Assert.Equal(25, r[0].GetProperty("timings").GetArrayLength());
        AssertTimings(r[0], 25);
        double[] output = [.. r[0].GetProperty("output").EnumerateArray().Select(e => e.GetDouble())];
        double sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        FiniteDifferences.AssertClose("softmax", [Math.Exp(1) / sum, Math.Exp(2) / sum, Math.Exp(3) / sum], output, 1e-15);
    }

    [Fact]
    public void MinSecondsRunsUntilTheTimingsAddUpToIt()
    {
        List<JsonElement> r = Session(
            Variant.Generated,
            """{"id":1,"kind":"evaluate","module":"llsq","function":"primal","input":{"x":[0.5,0.25],"n":64,"min_runs":1,"min_seconds":0.05}}""");
        JsonElement timings = r[0].GetProperty("timings");
        long total = timings.EnumerateArray().Sum(t => t.GetProperty("nanoseconds").GetInt64());
        Assert.True(total >= 50_000_000, $"timings add up to {total} ns, less than min_seconds");
        Assert.True(timings.GetArrayLength() > 1);
    }

    [Fact]
    public void FailuresAreResponsesNotCrashes()
    {
        List<JsonElement> r = Session(
            Variant.Generated,
            """{"id":0,"kind":"evaluate","module":"hello","function":"cube","input":2}""",
            """{"id":1,"kind":"evaluate","module":"gmm","function":"objective","input":{"d":2}}""",
            """{"id":2,"kind":"evaluate","module":"nope","function":"f","input":1}""",
            """{"id":3,"kind":"evaluate","module":"hello","function":"square","input":4}""");
        Assert.False(r[0].GetProperty("success").GetBoolean());
        Assert.Contains("cube", r[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(r[1].GetProperty("success").GetBoolean());
        Assert.False(r[2].GetProperty("success").GetBoolean());
        Assert.True(r[3].GetProperty("success").GetBoolean());
        Assert.Equal(16, r[3].GetProperty("output").GetDouble());
        Assert.All(r, response => Assert.Equal(r.IndexOf(response), response.GetProperty("id").GetInt32()));
    }

    [Fact]
    public void BaOutputsTheEvalsDigest()
    {
        // n = 2 cameras, m = 3 points, p = 12 observations: rows 3p + 1 CSR pointers, 30p + p entries; the digest is the
        // first 30 and the last of each.
        const string input = """{"n":2,"m":3,"p":12,"cam":[0.01,-0.02,0.03,0.1,0.2,-3,400,0.1,0.2,-1e-3,1e-6],"x":[0.3,-0.1,2.5],"w":0.9,"feat":[10,-4],"min_runs":1,"min_seconds":0}""";
        List<JsonElement> r = Session(
            Variant.Generated,
            $$"""{"id":0,"kind":"evaluate","module":"ba","function":"objective","input":{{input}}}""",
            $$"""{"id":1,"kind":"evaluate","module":"ba","function":"jacobian","input":{{input}}}""");
        JsonElement objective = r[0].GetProperty("output");
        Assert.Equal(2, objective.GetProperty("reproj_error").GetProperty("elements").GetArrayLength());
        Assert.Equal(12, objective.GetProperty("reproj_error").GetProperty("repeated").GetInt32());
        Assert.Equal(1 - 0.81, objective.GetProperty("w_err").GetProperty("element").GetDouble(), 12);
        Assert.Equal(12, objective.GetProperty("w_err").GetProperty("repeated").GetInt32());
        JsonElement jacobian = r[1].GetProperty("output");
        int[] rows = [.. jacobian.GetProperty("rows").EnumerateArray().Select(e => e.GetInt32())];
        int[] cols = [.. jacobian.GetProperty("cols").EnumerateArray().Select(e => e.GetInt32())];
        double[] vals = [.. jacobian.GetProperty("vals").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(31, rows.Length);
        Assert.Equal(31, cols.Length);
        Assert.Equal(31, vals.Length);
        Assert.Equal([0, 15, 30, 45], rows[..4]);
        Assert.Equal(30 * 12 + 12, rows[^1]);
        Assert.Equal(Enumerable.Range(0, 11), cols[..11]);                       // camera 0
        Assert.Equal([22, 23, 24], cols[11..14]);                                // point 0 after 11n camera columns
        Assert.Equal(22 + 9, cols[14]);                                          // weight 0 after 3m point columns
        Assert.Equal(22 + 9 + 11, cols[^1]);                                     // the last weight's column
        Assert.Equal(-1.8, vals[^1], 12);                                        // ∂(1 − w²)/∂w
        // The residual is w·(projection − feature), so its w column is the residual over w.
        Assert.Equal(objective.GetProperty("reproj_error").GetProperty("elements")[0].GetDouble() / 0.9, vals[14], 9);
    }

    [Fact]
    public void GeneratedAndHandWrittenAgreeThroughTheProtocol()
    {
        var random = new Random(5);
        double[] x = Inputs.Uniform(random, 6);
        double[] a = Inputs.Uniform(random, 16);
        string gmm = """{"d":2,"k":3,"n":4,"m":1,"gamma":1.2,"alpha":[0.1,-0.2,0.3],"mu":[[0.1,0.2],[0.3,0.4],[0.5,0.6]],"q":[[0.1,-0.1],[0.2,0.0],[-0.3,0.1]],"l":[[0.5],[-0.4],[0.3]],"x":[[0.9,-0.3],[0.2,0.8],[-0.5,0.1],[0.0,0.4]],"min_runs":1,"min_seconds":0}""";
        string lstm = """{"main_params":[[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8],[0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1]],"extra_params":[[0.3,0.1],[0.2,0.5],[0.9,0.4]],"state":[[0.1,0.3],[0.2,0.6]],"sequence":[[1,0],[0,1],[1,1],[0,0]],"min_runs":1,"min_seconds":0}""";
        string ba = """{"n":2,"m":3,"p":7,"cam":[0.01,-0.02,0.03,0.1,0.2,-3,400,0.1,0.2,-1e-3,1e-6],"x":[0.3,-0.1,2.5],"w":0.9,"feat":[10,-4],"min_runs":1,"min_seconds":0}""";
        Inputs.HandModel hand = Inputs.Hand(random, 8, mirrored: false);
        double[] theta = Inputs.Uniform(random, 26, -0.5, 0.5), us = Inputs.Uniform(random, 8, 0, 0.5), points = Inputs.Uniform(random, 12, -1, 1);
        string ht = $$"""{"theta":{{Inputs.Json(theta)}},"us":{{Inputs.Rows(us, 2)}},"data":{"model":{{hand.ToJson().ReplaceLineEndings("")}},"correspondences":[0,3,5,7],"points":{{Inputs.Rows(points, 3)}}},"min_runs":1,"min_seconds":0}""";
        string[] requests =
        [
            $$$"""{"module":"llsq","function":"gradient","input":{"x":{{{Inputs.Json(x)}}},"n":9,"min_runs":1,"min_seconds":0}}""",
            $$$"""{"module":"lse","function":"gradient","input":{"x":{{{Inputs.Json(x)}}},"min_runs":1,"min_seconds":0}}""",
            $$$"""{"module":"ode","function":"gradient","input":{"x":{{{Inputs.Json(x)}}},"s":3,"min_runs":1,"min_seconds":0}}""",
            $$$"""{"module":"det","function":"gradient","input":{"A":{{{Inputs.Json(a)}}},"ell":4,"min_runs":1,"min_seconds":0}}""",
            $$"""{"module":"gmm","function":"jacobian","input":{{gmm}}}""",
            $$"""{"module":"lstm","function":"jacobian","input":{{lstm}}}""",
            $$"""{"module":"ba","function":"jacobian","input":{{ba}}}""",
            $$"""{"module":"ht","function":"jacobian","input":{{ht}}}""",
            """{"module":"kmeans","function":"dir","input":{"points":[[0,0],[0.1,0.2],[1,1],[0.9,1.2],[0.2,0.1]],"centroids":[[0.1,0.1],[1,1]],"min_runs":1,"min_seconds":0}}""",
            """{"module":"particle","function":"rr","input":{"w":0,"min_runs":1,"min_seconds":0}}""",
            """{"module":"saddle","function":"fr","input":{"start":[1,1],"min_runs":1,"min_seconds":0}}""",
        ];
        string[] lines = [.. requests.Select((q, i) => $$"""{"id":{{i}},"kind":"evaluate",{{q[1..]}}""")];
        List<JsonElement> generated = Session(Variant.Generated, lines);
        List<JsonElement> handWritten = Session(Variant.HandWritten, lines);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.True(generated[i].GetProperty("success").GetBoolean(), generated[i].ToString());
            Assert.True(handWritten[i].GetProperty("success").GetBoolean(), handWritten[i].ToString());
            FiniteDifferences.AssertClose(requests[i][..40], Numbers(handWritten[i].GetProperty("output")), Numbers(generated[i].GetProperty("output")), 1e-9);
        }
    }

    [Fact]
    public void HtSimpleVariantWithEmptyOrAbsentUs()
    {
        var random = new Random(3);
        Inputs.HandModel hand = Inputs.Hand(random, 6, mirrored: true);
        double[] theta = Inputs.Uniform(random, 26, -0.5, 0.5), points = Inputs.Uniform(random, 9, -1, 1);
        string data = $$"""{"model":{{hand.ToJson().ReplaceLineEndings("")}},"correspondences":[1,2,4],"points":{{Inputs.Rows(points, 3)}}}""";
        List<JsonElement> r = Session(
            Variant.Generated,
            $$$"""{"id":0,"kind":"evaluate","module":"ht","function":"jacobian","input":{"theta":{{{Inputs.Json(theta)}}},"us":[],"data":{{{data}}}}}""",
            $$$"""{"id":1,"kind":"evaluate","module":"ht","function":"jacobian","input":{"theta":{{{Inputs.Json(theta)}}},"data":{{{data}}}}}""");
        foreach (JsonElement response in r)
        {
            Assert.True(response.GetProperty("success").GetBoolean(), response.ToString());
            JsonElement rows = response.GetProperty("output");
            Assert.Equal(9, rows.GetArrayLength());
            Assert.All(rows.EnumerateArray(), row => Assert.Equal(26, row.GetArrayLength()));
        }

        Assert.Equal(Numbers(r[0].GetProperty("output")), Numbers(r[1].GetProperty("output")));
    }

    /// <summary>Every number in a JSON value, depth first, object properties by name.</summary>
    private static double[] Numbers(JsonElement e)
    {
        var result = new List<double>();
        void Walk(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.Number:
                    result.Add(v.GetDouble());
                    break;
                case JsonValueKind.Array:
                    foreach (JsonElement c in v.EnumerateArray())
                    {
                        Walk(c);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (JsonProperty p in v.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        Walk(p.Value);
                    }

                    break;
            }
        }

        Walk(e);
        return [.. result];
    }

    [Fact]
    public void TheToolSpeaksTheProtocolOnStandardInputAndOutput()
    {
        // The built tool as gradbench starts it: a process reading messages on stdin and answering on stdout.
        string tool = Path.Combine(AppContext.BaseDirectory, "DiffGen.GradBench.dll");
        var start = new ProcessStartInfo("dotnet", [tool])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        process.StandardInput.WriteLine("""{"id":0,"kind":"start","eval":"hello"}""");
        Assert.Equal("""{"id":0,"tool":"diffgen","config":{"variant":"generated"}}""", process.StandardOutput.ReadLine());
        process.StandardInput.WriteLine("""{"id":1,"kind":"define","module":"hello"}""");
        Assert.Equal("""{"id":1,"success":true}""", process.StandardOutput.ReadLine());
        process.StandardInput.WriteLine("""{"id":2,"kind":"evaluate","module":"hello","function":"double","input":1.5}""");
        JsonElement response = JsonDocument.Parse(process.StandardOutput.ReadLine()!).RootElement;
        Assert.Equal(3, response.GetProperty("output").GetDouble());
        AssertTimings(response, 1);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", process.StandardError.ReadToEnd());
    }
}
