using System;
using System.Text.Json;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.HandWritten;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Modules;

/// <summary><c>gmm</c>: <c>objective</c> (the log posterior) and <c>jacobian</c> (its gradient as {alpha, mu, q, l}).</summary>
public sealed class GmmModule : Module
{
    public GmmModule(Variant variant)
        : base("gmm", variant)
    {
        Add("objective", input =>
        {
            var p = new Problem(input);
            double result = 0;
            return new Evaluation(() => result = p.Objective(), w => w.WriteNumberValue(result));
        });
        Add("jacobian", input =>
        {
            var p = new Problem(input);
            double[] dalpha = new double[p.Alpha.Length], dmu = new double[p.Mu.Length], dq = new double[p.Q.Length], dl = new double[p.L.Length];
            return new Evaluation(
                () =>
                {
                    Array.Clear(dalpha);
                    Array.Clear(dmu);
                    Array.Clear(dq);
                    Array.Clear(dl);
                    _ = Variant == Variant.Generated
                        ? Gmm.ObjectiveGradient(p.Alpha, p.Mu, p.Q, p.L, p.X, p.Gamma, p.M, p.Diagonal, p.SumQ, p.Centred, p.Transformed, p.Beta, dalpha, dmu, dq, dl)
                        : GmmHandWritten.ObjectiveGradient(p.Alpha, p.Mu, p.Q, p.L, p.X, p.Gamma, p.M, dalpha, dmu, dq, dl);
                },
                w =>
                {
                    w.WriteStartObject();
                    w.WritePropertyName("alpha");
                    Json.WriteVector(w, dalpha);
                    w.WritePropertyName("mu");
                    Json.WriteRows(w, dmu, p.K);
                    w.WritePropertyName("q");
                    Json.WriteRows(w, dq, p.K);
                    w.WritePropertyName("l");
                    Json.WriteRows(w, dl, p.K);
                    w.WriteEndObject();
                });
        });
    }

    /// <summary>A gmm input, flattened row-major, with the scratch <see cref="Gmm.Objective"/> takes.</summary>
    public sealed class Problem
    {
        public Problem(JsonElement input)
        {
            D = input.GetProperty("d").GetInt32();
            K = input.GetProperty("k").GetInt32();
            N = input.GetProperty("n").GetInt32();
            M = input.GetProperty("m").GetInt32();
            Gamma = input.GetProperty("gamma").GetDouble();
            Alpha = Json.Vector(input.GetProperty("alpha"));
            Mu = Json.Flatten(input.GetProperty("mu"));
            Q = Json.Flatten(input.GetProperty("q"));
            L = Json.Flatten(input.GetProperty("l"));
            X = Json.Flatten(input.GetProperty("x"));
            if (Alpha.Length != K || Mu.Length != K * D || Q.Length != K * D || L.Length != K * D * (D - 1) / 2 || X.Length != N * D)
            {
                throw new FormatException("gmm input: alpha must have k values, mu and q k rows of d, l k rows of d(d−1)/2, x n rows of d");
            }

            Diagonal = new double[K * D];
            SumQ = new double[K];
            Centred = new double[D];
            Transformed = new double[D];
            Beta = new double[K];
        }

        public int D { get; }

        public int K { get; }

        public int N { get; }

        public int M { get; }

        public double Gamma { get; }

        public double[] Alpha { get; }

        public double[] Mu { get; }

        public double[] Q { get; }

        public double[] L { get; }

        public double[] X { get; }

        public double[] Diagonal { get; }

        public double[] SumQ { get; }

        public double[] Centred { get; }

        public double[] Transformed { get; }

        public double[] Beta { get; }

        /// <summary>The log posterior (<see cref="Gmm.Objective"/>).</summary>
        public double Objective() => Gmm.Objective(Alpha, Mu, Q, L, X, Gamma, M, Diagonal, SumQ, Centred, Transformed, Beta);
    }
}

/// <summary><c>lstm</c>: <c>objective</c> and <c>jacobian</c> (the gradient of main then extra parameters, flattened).</summary>
public sealed class LstmModule : Module
{
    public LstmModule(Variant variant)
        : base("lstm", variant)
    {
        Add("objective", input =>
        {
            var p = new Problem(input);
            double result = 0;
            return new Evaluation(() => result = p.Objective(), w => w.WriteNumberValue(result));
        });
        Add("jacobian", input =>
        {
            var p = new Problem(input);
            double[] dmain = new double[p.Main.Length], dextra = new double[p.Extra.Length];
            return new Evaluation(
                () =>
                {
                    Array.Clear(dmain);
                    Array.Clear(dextra);
                    _ = Variant == Variant.Generated
                        ? Lstm.ObjectiveGradient(p.Main, p.Extra, p.State, p.Sequence, p.Layers, p.Hidden, p.Prediction, dmain, dextra)
                        : LstmHandWritten.ObjectiveGradient(p.Main, p.Extra, p.State, p.Sequence, p.Layers, dmain, dextra);
                },
                w =>
                {
                    w.WriteStartArray();
                    foreach (double v in dmain)
                    {
                        w.WriteNumberValue(v);
                    }

                    foreach (double v in dextra)
                    {
                        w.WriteNumberValue(v);
                    }

                    w.WriteEndArray();
                });
        });
    }

    /// <summary>An lstm input, flattened row-major, with the scratch <see cref="Lstm.Objective"/> takes.</summary>
    public sealed class Problem
    {
        public Problem(JsonElement input)
        {
            JsonElement main = input.GetProperty("main_params");
            Layers = main.GetArrayLength() / 2;
            Main = Json.Flatten(main);
            Extra = Json.Flatten(input.GetProperty("extra_params"));
            State = Json.Flatten(input.GetProperty("state"));
            Sequence = Json.Flatten(input.GetProperty("sequence"));
            int b = Extra.Length / 3;
            if (Layers < 1 || Main.Length != 8 * b * Layers || State.Length != 2 * b * Layers || Sequence.Length % b != 0)
            {
                throw new FormatException("lstm input: main_params 2l rows of 4b, extra_params 3 rows of b, state 2l rows of b, sequence rows of b");
            }

            Hidden = new double[State.Length];
            Prediction = new double[b];
        }

        public int Layers { get; }

        public double[] Main { get; }

        public double[] Extra { get; }

        public double[] State { get; }

        public double[] Sequence { get; }

        public double[] Hidden { get; }

        public double[] Prediction { get; }

        /// <summary>The loss (<see cref="Lstm.Objective"/>).</summary>
        public double Objective() => Lstm.Objective(Main, Extra, State, Sequence, Layers, Hidden, Prediction);
    }
}
