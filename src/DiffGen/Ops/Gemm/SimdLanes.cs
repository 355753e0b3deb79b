using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffGen.Gemm;

/// <summary>
/// The handful of vector operations the GEMM micro-kernels need, abstracted over element type and width so that one
/// kernel body serves float/double × Vector512/256/128. Implementations are empty structs: the JIT specialises every
/// generic instantiation over them and inlines the calls, so the abstraction costs nothing.
/// </summary>
internal unsafe interface ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(T* source);

    static abstract TVector Broadcast(T* source);

    /// <summary>Returns <c>a * b + c</c> with a single rounding.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Add(TVector a, TVector b);

    static abstract void Store(T* destination, TVector value);
}

/// <summary>
/// Lanes with masked loads (x86: AVX-512 and AVX) and a lane sum, for the narrow-output kernels: a run of fewer than
/// <see cref="ISimdLanes{TVector, T}.Count"/> elements is loaded in place, without reading past its end.
/// </summary>
internal unsafe interface IMaskedLanes<TVector, T> : ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged
{
    /// <summary>A mask selecting lanes 0 .. <paramref name="count"/> − 1.</summary>
    static abstract TVector FirstLanes(int count);

    /// <summary>Loads the selected lanes; the others are zero and their memory is not accessed.</summary>
    static abstract TVector LoadMasked(T* source, TVector mask);

    /// <summary>The sum of all lanes, in a fixed order: halves added down to 128 bits, then those lanes summed.</summary>
    static abstract T Sum(TVector value);
}

/// <summary>The write-back every kernel ends with.</summary>
internal static unsafe class Tile
{
    /// <summary>Stores one vector of C: <c>acc</c>, or <c>acc + old</c> when accumulating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TLanes, TVector, T>(T* c, TVector acc, bool accumulate)
        where TLanes : struct, ISimdLanes<TVector, T>
        where TVector : struct
        where T : unmanaged
    {
        if (accumulate)
        {
            acc = TLanes.Add(acc, TLanes.Load(c));
        }

        TLanes.Store(c, acc);
    }
}

internal unsafe struct Lanes512Single : IMaskedLanes<Vector512<float>, float>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float* source) => Vector512.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* destination, Vector512<float> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> FirstLanes(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LoadMasked(float* source, Vector512<float> mask) => Avx512F.MaskLoad(source, mask, Vector512<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> value) => Vector128.Sum(Lanes256Single.Fold(value.GetLower() + value.GetUpper()));
}

internal unsafe struct Lanes512Double : IMaskedLanes<Vector512<double>, double>
{
    public static int Count => Vector512<double>.Count;
    public static Vector512<double> Zero => Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double* source) => Vector512.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double* destination, Vector512<double> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> FirstLanes(int count) => Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LoadMasked(double* source, Vector512<double> mask) => Avx512F.MaskLoad(source, mask, Vector512<double>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector512<double> value) => Vector128.Sum(Lanes256Double.Fold(value.GetLower() + value.GetUpper()));
}

internal unsafe struct Lanes256Single : IMaskedLanes<Vector256<float>, float>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float* source) => Vector256.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* destination, Vector256<float> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> FirstLanes(int count) => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadMasked(float* source, Vector256<float> mask) => Avx.MaskLoad(source, mask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> value) => Vector128.Sum(Fold(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] internal static Vector128<float> Fold(Vector256<float> value) => value.GetLower() + value.GetUpper();
}

internal unsafe struct Lanes256Double : IMaskedLanes<Vector256<double>, double>
{
    public static int Count => Vector256<double>.Count;
    public static Vector256<double> Zero => Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(double* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Broadcast(double* source) => Vector256.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double* destination, Vector256<double> value) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> FirstLanes(int count) => Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).AsDouble();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LoadMasked(double* source, Vector256<double> mask) => Avx.MaskLoad(source, mask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(Vector256<double> value) => Vector128.Sum(Fold(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] internal static Vector128<double> Fold(Vector256<double> value) => value.GetLower() + value.GetUpper();
}

internal unsafe struct Lanes128Single : ISimdLanes<Vector128<float>, float>
{
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float* source) => Vector128.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* destination, Vector128<float> value) => value.Store(destination);
}

internal unsafe struct Lanes128Double : ISimdLanes<Vector128<double>, double>
{
    public static int Count => Vector128<double>.Count;
    public static Vector128<double> Zero => Vector128<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Load(double* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Broadcast(double* source) => Vector128.Create(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double* destination, Vector128<double> value) => value.Store(destination);
}
