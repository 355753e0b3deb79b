using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DiffGen.Elementwise;

/// <summary><c>f(x, dy) = x &gt; 0 ? dy : 0</c>: the ReLU pullback, with ReLU'(0) = 0 (and 0 for NaN).</summary>
internal readonly struct ReluGrad<T> : IBinaryFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.GreaterThan(x, Vector512<T>.Zero) & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.GreaterThan(x, Vector256<T>.Zero) & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128.GreaterThan(x, Vector128<T>.Zero) & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => x > T.Zero ? y : T.Zero;
}

/// <summary><c>f(s, dy) = dy · s · (1 − s)</c>, where s = σ(x): the sigmoid pullback.</summary>
internal readonly struct SigmoidGrad<T> : IBinaryFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> s, Vector512<T> dy) => dy * s * (Vector512<T>.One - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> s, Vector256<T> dy) => dy * s * (Vector256<T>.One - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> s, Vector128<T> dy) => dy * s * (Vector128<T>.One - s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T s, T dy) => dy * s * (T.One - s);
}

/// <summary><c>f(t, dy) = dy · (1 − t²)</c>, where t = tanh(x): the tanh pullback.</summary>
internal readonly struct TanhGrad<T> : IBinaryFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> t, Vector512<T> dy) => dy * (Vector512<T>.One - t * t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> t, Vector256<T> dy) => dy * (Vector256<T>.One - t * t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> t, Vector128<T> dy) => dy * (Vector128<T>.One - t * t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T t, T dy) => dy * (T.One - t * t);
}

/// <summary><c>f(p, t) = scale · (p − t)</c>: the MSE pullback (scale = ±2·seed/n).</summary>
internal readonly struct ScaledDifference<T> : IBinaryFunction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _scale;

    public ScaledDifference(T scale) => _scale = scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> p, Vector512<T> t) => Vector512.Create(_scale) * (p - t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> p, Vector256<T> t) => Vector256.Create(_scale) * (p - t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> p, Vector128<T> t) => Vector128.Create(_scale) * (p - t);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T p, T t) => _scale * (p - t);
}
