using System;
using System.Text.Json;
using DiffGen;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.HandWritten;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Modules;

/// <summary><c>ht</c>: <c>objective</c> (the residuals) and <c>jacobian</c> (their Jacobian as rows).</summary>
public sealed class HtModule : Module
{
    public HtModule(Variant variant)
        : base("ht", variant)
    {
        Add("objective", input =>
        {
            var p = new Problem(input);
            double[] err = new double[3 * p.Correspondences.Length];
            return new Evaluation(() => p.Objective(err), w => Json.WriteVector(w, err));
        });
        Add("jacobian", input =>
        {
            var p = new Problem(input);
            int rows = 3 * p.Correspondences.Length;
            double[] err = new double[rows];
            double[] jacobian = new double[rows * p.Columns];
            return new Evaluation(
                () =>
                {
                    if (Variant == Variant.Generated)
                    {
                        p.Jacobian(err, jacobian);
                    }
                    else
                    {
                        HtHandWritten.Jacobian(
                            p.Theta, p.Us, p.Parents, p.BaseRelatives, p.InverseBaseAbsolutes, p.BasePositions, p.Weights, p.Triangles, p.IsMirrored,
                            p.Correspondences, p.Points, err, jacobian);
                    }
                },
                w => Json.WriteRows(w, jacobian, rows));
        });
    }

    /// <summary>An ht input: the model's matrices flattened row-major (4 × 4 per bone), and the scratch the objective takes.</summary>
    public sealed class Problem
    {
        public Problem(JsonElement input)
        {
            Theta = Json.Vector(input.GetProperty("theta"));
            // The simple variant sends an empty us; an input without the field is read the same way.
            Us = input.TryGetProperty("us", out JsonElement us) ? Json.Flatten(us) : [];
            JsonElement data = input.GetProperty("data");
            JsonElement model = data.GetProperty("model");
            Parents = Json.Integers(model.GetProperty("parents"));
            BaseRelatives = Json.Flatten(model.GetProperty("base_relatives"));
            InverseBaseAbsolutes = Json.Flatten(model.GetProperty("inverse_base_absolutes"));
            BasePositions = Json.Flatten(model.GetProperty("base_positions"));
            Weights = Json.Flatten(model.GetProperty("weights"));
            JsonElement triangles = model.GetProperty("triangles");
            Triangles = new int[3 * triangles.GetArrayLength()];
            int t = 0;
            foreach (JsonElement triangle in triangles.EnumerateArray())
            {
                foreach (JsonElement vertex in triangle.EnumerateArray())
                {
                    Triangles[t++] = vertex.GetInt32();
                }
            }

            IsMirrored = model.GetProperty("is_mirrored").GetBoolean();
            Correspondences = Json.Integers(data.GetProperty("correspondences"));
            Points = Json.Flatten(data.GetProperty("points"));
            int bones = Parents.Length;
            int vertices = BasePositions.Length / 4;
            if (Theta.Length != 26 || BaseRelatives.Length != 16 * bones || InverseBaseAbsolutes.Length != 16 * bones
                || Weights.Length != vertices * bones || Points.Length != 3 * Correspondences.Length
                || (Us.Length != 0 && Us.Length != 2 * Correspondences.Length))
            {
                throw new FormatException("ht input: theta has 26 numbers, 4 × 4 matrices per bone, weights vertices × bones, 3 coordinates per point, us empty or 2 per point");
            }

            Pose = new double[3 * Ht.PoseColumns(bones)];
            Relatives = new double[16 * bones];
            Absolutes = new double[16 * bones];
            Transforms = new double[16 * bones];
            Posed = new double[12 * bones + 9];
            Positions = new double[3 * vertices];
            D = new double[Posed.Length * Theta.Length];
            DPosed = new double[Posed.Length];
            DTheta = new double[Theta.Length];
            DUs = new double[Us.Length];
            Span = new int[2 * Posed.Length];
        }

        public double[] Theta { get; }

        public double[] Us { get; }

        public int[] Parents { get; }

        public double[] BaseRelatives { get; }

        public double[] InverseBaseAbsolutes { get; }

        public double[] BasePositions { get; }

        public double[] Weights { get; }

        public int[] Triangles { get; }

        public bool IsMirrored { get; }

        public int[] Correspondences { get; }

        public double[] Points { get; }

        public double[] Pose { get; }

        public double[] Relatives { get; }

        public double[] Absolutes { get; }

        public double[] Transforms { get; }

        public double[] Posed { get; }

        public double[] Positions { get; }

        /// <summary>Scratch of the generated Jacobian: ∂posed/∂θ, and one row's gradients.</summary>
        public double[] D { get; }

        public double[] DPosed { get; }

        public double[] DTheta { get; }

        public double[] DUs { get; }

        public int[] Span { get; }

        /// <summary>Jacobian columns: the two barycentric coordinates (complicated variant), then θ.</summary>
        public int Columns => (Us.Length == 0 ? 0 : 2) + Theta.Length;

        /// <summary>The residuals (<see cref="Ht.Objective"/>).</summary>
        public void Objective(Span<double> err) => Ht.Objective(
            Theta, Us, Parents, BaseRelatives, InverseBaseAbsolutes, BasePositions, Weights, Triangles, IsMirrored, Correspondences, Points,
            Pose, Relatives, Absolutes, Transforms, Posed, Positions, err);

        /// <summary>The residuals and their Jacobian from generated gradients (<see cref="Ht.Jacobian"/>).</summary>
        public void Jacobian(Span<double> err, Span<double> jacobian) => Ht.Jacobian(
            Theta, Us, Parents, BaseRelatives, InverseBaseAbsolutes, BasePositions, Weights, Triangles, IsMirrored, Correspondences, Points,
            Pose, Relatives, Absolutes, Transforms, Posed, D, DPosed, DTheta, DUs, Span, err, jacobian);
    }
}

/// <summary><c>kmeans</c>: <c>cost</c> and <c>dir</c> (the Newton direction J·H⁻¹), input <c>points</c> and <c>centroids</c>.</summary>
public sealed class KmeansModule : Module
{
    public KmeansModule(Variant variant)
        : base("kmeans", variant)
    {
        Add("cost", input =>
        {
            double[] points = Json.Rows(input.GetProperty("points"), out int d);
            double[] centroids = Json.Rows(input.GetProperty("centroids"), out _);
            double result = 0;
            return new Evaluation(() => result = Kmeans.Cost(points, centroids, d), w => w.WriteNumberValue(result));
        });
        Add("dir", input =>
        {
            double[] points = Json.Rows(input.GetProperty("points"), out int d);
            double[] centroids = Json.Rows(input.GetProperty("centroids"), out _);
            double[] direction = new double[centroids.Length], hessian = new double[centroids.Length];
            int[] assignment = new int[points.Length / d];
            double[] ones = new double[centroids.Length];
            Array.Fill(ones, 1.0);
            return new Evaluation(
                () =>
                {
                    if (Variant == Variant.Generated)
                    {
                        Kmeans.Direction(points, centroids, d, assignment, ones, direction, hessian);
                    }
                    else
                    {
                        KmeansHandWritten.Direction(points, centroids, d, direction, hessian);
                    }
                },
                w => Json.WriteRows(w, direction, centroids.Length / d));
        });
    }
}

/// <summary><c>particle</c>: <c>ff</c>, <c>fr</c>, <c>rf</c>, <c>rr</c>, the control w found from <c>w</c>.</summary>
public sealed class ParticleModule : Module
{
    public ParticleModule(Variant variant)
        : base("particle", variant)
    {
        foreach (string function in new[] { "ff", "fr", "rf", "rr" })
        {
            Nesting nesting = NestingNames.Parse(function);
            Add(function, input =>
            {
                double w0 = input.GetProperty("w").GetDouble(), result = 0;
                return new Evaluation(
                    () => result = Variant == Variant.Generated ? Particle.Control(nesting, w0) : NestedHandWritten.Particle(w0),
                    w => w.WriteNumberValue(result));
            });
        }
    }
}

/// <summary><c>saddle</c>: <c>ff</c>, <c>fr</c>, <c>rf</c>, <c>rr</c>, the saddle point (x, y) found from <c>start</c>.</summary>
public sealed class SaddleModule : Module
{
    public SaddleModule(Variant variant)
        : base("saddle", variant)
    {
        foreach (string function in new[] { "ff", "fr", "rf", "rr" })
        {
            Nesting nesting = NestingNames.Parse(function);
            Add(function, input =>
            {
                double[] start = Json.Vector(input.GetProperty("start"));
                double[] result = new double[4];
                if (start.Length != 2)
                {
                    throw new FormatException("saddle input: start has 2 numbers");
                }

                return new Evaluation(
                    () =>
                    {
                        if (Variant == Variant.Generated)
                        {
                            Saddle.Solve(nesting, start, result);
                        }
                        else
                        {
                            NestedHandWritten.Saddle(start, result);
                        }
                    },
                    w => Json.WriteVector(w, result));
            });
        }
    }
}
