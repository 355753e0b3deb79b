using System;
using System.Text.Json;
using DiffGen.GradBench.Evals;
using DiffGen.GradBench.HandWritten;
using DiffGen.GradBench.Protocol;

namespace DiffGen.GradBench.Modules;

/// <summary><c>hello</c>: <c>square</c> and <c>double</c> (its derivative) of one number.</summary>
public sealed class HelloModule : Module
{
    public HelloModule(Variant variant)
        : base("hello", variant)
    {
        Add("square", input =>
        {
            double x = input.GetDouble(), result = 0;
            return new Evaluation(() => result = Hello.Square(x), w => w.WriteNumberValue(result));
        });
        Add("double", input =>
        {
            double x = input.GetDouble(), derivative = 0;
            return new Evaluation(
                () =>
                {
                    derivative = 0;
                    _ = Variant == Variant.Generated ? Hello.SquareGradient(x, ref derivative) : SimpleHandWritten.SquareGradient(x, ref derivative);
                },
                w => w.WriteNumberValue(derivative));
        });
    }
}

/// <summary><c>llsq</c>: <c>primal</c> and <c>gradient</c> of the least-squares objective, input <c>x</c> and <c>n</c>.</summary>
public sealed class LlsqModule : Module
{
    public LlsqModule(Variant variant)
        : base("llsq", variant)
    {
        Add("primal", input =>
        {
            double[] x = Json.Vector(input.GetProperty("x"));
            int n = input.GetProperty("n").GetInt32();
            double result = 0;
            return new Evaluation(() => result = Llsq.Primal(x, n), w => w.WriteNumberValue(result));
        });
        Add("gradient", input =>
        {
            double[] x = Json.Vector(input.GetProperty("x"));
            int n = input.GetProperty("n").GetInt32();
            double[] gradient = new double[x.Length];
            return new Evaluation(
                () =>
                {
                    Array.Clear(gradient);
                    _ = Variant == Variant.Generated ? Llsq.PrimalGradient(x, n, gradient) : SimpleHandWritten.LlsqGradient(x, n, gradient);
                },
                w => Json.WriteVector(w, gradient));
        });
    }
}

/// <summary><c>lse</c>: <c>primal</c> and <c>gradient</c> of LogSumExp of <c>x</c>.</summary>
public sealed class LseModule : Module
{
    public LseModule(Variant variant)
        : base("lse", variant)
    {
        Add("primal", input =>
        {
            double[] x = Json.Vector(input.GetProperty("x"));
            double result = 0;
            return new Evaluation(() => result = Lse.Primal(x), w => w.WriteNumberValue(result));
        });
        Add("gradient", input =>
        {
            double[] x = Json.Vector(input.GetProperty("x"));
            double[] gradient = new double[x.Length];
            return new Evaluation(
                () =>
                {
                    Array.Clear(gradient);
                    _ = Variant == Variant.Generated ? Lse.PrimalGradient(x, gradient) : SimpleHandWritten.LseGradient(x, gradient);
                },
                w => Json.WriteVector(w, gradient));
        });
    }
}

/// <summary><c>ode</c>: <c>primal</c> (the solution at t = 2) and <c>gradient</c> (of its last element), input <c>x</c> and <c>s</c>.</summary>
public sealed class OdeModule : Module
{
    public OdeModule(Variant variant)
        : base("ode", variant)
    {
        Add("primal", input =>
        {
            double[] x = Json.Vector(input.GetProperty("x"));
            int s = input.GetProperty("s").GetInt32();
            int n = x.Length;
            double[] y = new double[n], k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n], stage = new double[n];
            return new Evaluation(() => Ode.Last(x, s, y, k1, k2, k3, k4, stage), w => Json.WriteVector(w, y));
        });
        Add("gradient", input =>
        {
            double[] x = Json.Vector(input.GetProperty("x"));
            int s = input.GetProperty("s").GetInt32();
            int n = x.Length;
            double[] y = new double[n], k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n], stage = new double[n];
            double[] gradient = new double[n];
            return new Evaluation(
                () =>
                {
                    Array.Clear(gradient);
                    _ = Variant == Variant.Generated
                        ? Ode.LastGradient(x, s, y, k1, k2, k3, k4, stage, gradient)
                        : SimpleHandWritten.OdeGradient(x, s, y, gradient);
                },
                w => Json.WriteVector(w, gradient));
        });
    }
}

/// <summary><c>det</c>: <c>primal</c> and <c>gradient</c> of the determinant by minors, input <c>A</c> (row-major) and <c>ell</c>.</summary>
public sealed class DetModule : Module
{
    public DetModule(Variant variant)
        : base("det", variant)
    {
        Add("primal", input =>
        {
            double[] a = Json.Vector(input.GetProperty("A"));
            int ell = input.GetProperty("ell").GetInt32();
            double result = 0;
            return new Evaluation(() => result = Det.Primal(a, ell), w => w.WriteNumberValue(result));
        });
        Add("gradient", input =>
        {
            double[] a = Json.Vector(input.GetProperty("A"));
            int ell = input.GetProperty("ell").GetInt32();
            double[] gradient = new double[a.Length];
            return new Evaluation(
                () =>
                {
                    Array.Clear(gradient);
                    _ = Variant == Variant.Generated ? Det.PrimalGradient(a, ell, gradient) : SimpleHandWritten.DetGradient(a, ell, gradient);
                },
                w => Json.WriteVector(w, gradient));
        });
    }
}
