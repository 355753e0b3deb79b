using System;
using System.Text.Json;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.HandWritten;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Modules;

/// <summary>
/// <c>ba</c>: the input gives one camera, point, weight and feature, repeated to n cameras, m points and p observations
/// (observation i sees camera i mod n and point i mod m); the tool computes everything for all of them, as the eval
/// requires, and sends a digest: <c>objective</c> the first residual pair and w error with their repeat counts,
/// <c>jacobian</c> the first 30 and the last entries of the sparse Jacobian's CSR arrays.
/// </summary>
public sealed class BaModule : Module
{
    /// <summary>Nonzeros of one observation's two reprojection rows: 2 × (11 camera + 3 point + 1 weight).</summary>
    public const int BlockSize = 2 * 15;

    public BaModule(Variant variant)
        : base("ba", variant)
    {
        Add("objective", input =>
        {
            var p = new Problem(input);
            double[] reprojection = new double[2 * p.P], weightError = new double[p.P];
            return new Evaluation(
                () => p.Objective(reprojection, weightError),
                w =>
                {
                    w.WriteStartObject();
                    w.WriteStartObject("reproj_error");
                    w.WritePropertyName("elements");
                    Json.WriteVector(w, reprojection.AsSpan(0, 2));
                    w.WriteNumber("repeated", p.P);
                    w.WriteEndObject();
                    w.WriteStartObject("w_err");
                    w.WriteNumber("element", weightError[0]);
                    w.WriteNumber("repeated", p.P);
                    w.WriteEndObject();
                    w.WriteEndObject();
                });
        });
        Add("jacobian", input =>
        {
            var p = new Problem(input);
            var jacobian = new SparseJacobian(p.N, p.M, p.P);
            double[] err = new double[2];
            return new Evaluation(
                () =>
                {
                    Span<double> values = jacobian.Values;
                    for (int i = 0; i < p.P; i++)
                    {
                        Span<double> block = values.Slice(BlockSize * i, BlockSize);
                        ReadOnlySpan<double> camera = p.Camera(i), point = p.Point(i);
                        double weight = p.W[i], fx = p.Features[2 * i], fy = p.Features[2 * i + 1];
                        if (Variant == Variant.Generated)
                        {
                            // The block is the 2 × 15 Jacobian, in the same column order (camera, point, w).
                            Ba.ReprojectionJacobian(camera, point, weight, fx, fy, err, block);
                        }
                        else
                        {
                            BaHandWritten.ReprojectionJacobian(camera, point, weight, fx, fy, err, block);
                        }
                    }

                    for (int i = 0; i < p.P; i++)
                    {
                        ref double entry = ref values[BlockSize * p.P + i];
                        entry = 0;
                        if (Variant == Variant.Generated)
                        {
                            Ba.WeightErrorGradient(p.W[i], ref entry);
                        }
                        else
                        {
                            entry = -2 * p.W[i];
                        }
                    }
                },
                jacobian.WriteDigest);
        });
    }

    /// <summary>A ba input expanded to all cameras, points and observations.</summary>
    public sealed class Problem
    {
        public Problem(JsonElement input)
        {
            N = input.GetProperty("n").GetInt32();
            M = input.GetProperty("m").GetInt32();
            P = input.GetProperty("p").GetInt32();
            double[] camera = Json.Vector(input.GetProperty("cam"));
            double[] x = Json.Vector(input.GetProperty("x"));
            double weight = input.GetProperty("w").GetDouble();
            double[] feature = Json.Vector(input.GetProperty("feat"));
            if (camera.Length != Ba.CameraParameters || x.Length != 3 || feature.Length != 2 || N < 1 || M < 1 || P < 1)
            {
                throw new FormatException("ba input: cam has 11 numbers, x 3, feat 2; n, m, p at least 1");
            }

            Cameras = new double[Ba.CameraParameters * N];
            Points = new double[3 * M];
            W = new double[P];
            Features = new double[2 * P];
            Observations = new int[2 * P];
            for (int i = 0; i < N; i++)
            {
                camera.CopyTo(Cameras, Ba.CameraParameters * i);
            }

            for (int i = 0; i < M; i++)
            {
                x.CopyTo(Points, 3 * i);
            }

            for (int i = 0; i < P; i++)
            {
                W[i] = weight;
                Features[2 * i] = feature[0];
                Features[2 * i + 1] = feature[1];
                Observations[2 * i] = i % N;
                Observations[2 * i + 1] = i % M;
            }
        }

        public int N { get; }

        public int M { get; }

        public int P { get; }

        public double[] Cameras { get; }

        public double[] Points { get; }

        public double[] W { get; }

        public double[] Features { get; }

        public int[] Observations { get; }

        /// <summary>Observation i's camera (11 parameters).</summary>
        public ReadOnlySpan<double> Camera(int i) => Cameras.AsSpan(Ba.CameraParameters * Observations[2 * i], Ba.CameraParameters);

        /// <summary>Observation i's point.</summary>
        public ReadOnlySpan<double> Point(int i) => Points.AsSpan(3 * Observations[2 * i + 1], 3);

        /// <summary>Every residual: two reprojection errors per observation, and each weight's 1 − w².</summary>
        public void Objective(Span<double> reprojection, Span<double> weightError)
        {
            for (int i = 0; i < P; i++)
            {
                ReadOnlySpan<double> camera = Camera(i), point = Point(i);
                Ba.Reprojection(camera, point, W[i], Features[2 * i], Features[2 * i + 1], reprojection.Slice(2 * i, 2));
            }

            for (int i = 0; i < P; i++)
            {
                weightError[i] = Ba.WeightError(W[i]);
            }
        }
    }

    /// <summary>
    /// The (2p + p) × (11n + 3m + p) Jacobian in CSR form: observation i's two rows hold its camera's 11 columns, its
    /// point's 3 and its weight's 1; then one row per weight error. The structure is fixed by the observations, so it
    /// is built once; evaluations fill <see cref="Values"/>.
    /// </summary>
    public sealed class SparseJacobian
    {
        public SparseJacobian(int n, int m, int p)
        {
            Rows = new int[3 * p + 1];
            Columns = new int[BlockSize * p + p];
            Values = new double[Columns.Length];
            int entry = 0;
            for (int i = 0; i < p; i++)
            {
                int camera = i % n, point = i % m;
                for (int row = 0; row < 2; row++)
                {
                    Rows[2 * i + row + 1] = Rows[2 * i + row] + 15;
                    for (int c = 0; c < 11; c++)
                    {
                        Columns[entry++] = 11 * camera + c;
                    }

                    for (int c = 0; c < 3; c++)
                    {
                        Columns[entry++] = 11 * n + 3 * point + c;
                    }

                    Columns[entry++] = 11 * n + 3 * m + i;
                }
            }

            for (int i = 0; i < p; i++)
            {
                Rows[2 * p + i + 1] = Rows[2 * p + i] + 1;
                Columns[entry++] = 11 * n + 3 * m + i;
            }
        }

        public int[] Rows { get; }

        public int[] Columns { get; }

        public double[] Values { get; }

        /// <summary>The eval's digest: the first 30 and the last entry of rows, cols and vals.</summary>
        public void WriteDigest(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteStartArray("rows");
            WriteDigest(w, Rows);
            w.WriteEndArray();
            w.WriteStartArray("cols");
            WriteDigest(w, Columns);
            w.WriteEndArray();
            w.WriteStartArray("vals");
            int head = Math.Min(BlockSize, Values.Length - 1);
            for (int i = 0; i < head; i++)
            {
                w.WriteNumberValue(Values[i]);
            }

            w.WriteNumberValue(Values[^1]);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        private static void WriteDigest(Utf8JsonWriter w, int[] values)
        {
            int head = Math.Min(BlockSize, values.Length - 1);
            for (int i = 0; i < head; i++)
            {
                w.WriteNumberValue(values[i]);
            }

            w.WriteNumberValue(values[^1]);
        }
    }
}
