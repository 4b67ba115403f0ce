// Lanes: one generic "number" type that is either a single double (Lane1) or a SIMD vector of doubles
// (Lane4 = Vector256, Lane8 = Vector512), so the QWOP physics is written ONCE and runs either one plan or
// 4/8 plans in lock-step. Every lane op is IEEE-exact per lane (+, −, ×, ÷, sqrt, fused multiply-add,
// min/max of ordered values), so all three instantiations give bitwise-identical results per plan.
// Masks are lane values too: Lane1 uses 1.0/0.0, the vector lanes use all-ones/all-zeros bit patterns.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ProbLab.Search;

/// <summary>Per-lane double arithmetic shared by the scalar and SIMD QWOP kernels (static abstract members, no virtual calls).</summary>
internal interface ILanes<T> where T : unmanaged, ILanes<T>
{
    /// <summary>Number of independent values held (1, 4 or 8).</summary>
    static abstract int Count { get; }
    static abstract T Splat(double value);
    /// <summary>Loads <see cref="Count"/> consecutive doubles.</summary>
    static abstract T Load(ReadOnlySpan<double> source);
    static abstract double GetLane(T value, int lane);

    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    static abstract T operator -(T a);

    static abstract T Sqrt(T x);
    static abstract T Abs(T x);
    /// <summary>Lane minimum; callers only pass ordered (non-NaN) values, where all definitions agree.</summary>
    static abstract T Min(T a, T b);
    static abstract T Max(T a, T b);
    /// <summary>a·b + c with a single rounding.</summary>
    static abstract T MultiplyAdd(T a, T b, T c);
    /// <summary>|value| with the sign bit of <paramref name="sign"/>.</summary>
    static abstract T CopySign(T value, T sign);

    static abstract T LessOrEqual(T a, T b);
    static abstract T LessThan(T a, T b);
    static abstract T GreaterThan(T a, T b);
    /// <summary>Mask of lanes whose sign bit is set (so −0.0 counts as negative, as IEEE atan2 needs).</summary>
    static abstract T IsNegative(T a);
    static abstract T And(T a, T b);
    static abstract T Or(T a, T b);
    /// <summary>a AND NOT b.</summary>
    static abstract T AndNot(T a, T b);
    static abstract T AllTrue { get; }
    static abstract T Select(T mask, T whenTrue, T whenFalse);
    static abstract bool AnyTrue(T mask);
}

/// <summary>One double; masks are 1.0 (true) / 0.0 (false). Used for single plans and trajectories.</summary>
internal readonly struct Lane1 : ILanes<Lane1>
{
    public readonly double V;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Lane1(double v) => V = v;

    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Splat(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Load(ReadOnlySpan<double> source) => new(source[0]);
    public static double GetLane(Lane1 value, int lane) => value.V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator +(Lane1 a, Lane1 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator -(Lane1 a, Lane1 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator *(Lane1 a, Lane1 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator /(Lane1 a, Lane1 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 operator -(Lane1 a) => new(-a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Sqrt(Lane1 x) => new(Math.Sqrt(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Abs(Lane1 x) => new(Math.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Min(Lane1 a, Lane1 b) => new(a.V < b.V ? a.V : b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Max(Lane1 a, Lane1 b) => new(a.V > b.V ? a.V : b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 MultiplyAdd(Lane1 a, Lane1 b, Lane1 c) => new(Math.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 CopySign(Lane1 value, Lane1 sign) => new(Math.CopySign(value.V, sign.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 LessOrEqual(Lane1 a, Lane1 b) => new(a.V <= b.V ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 LessThan(Lane1 a, Lane1 b) => new(a.V < b.V ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 GreaterThan(Lane1 a, Lane1 b) => new(a.V > b.V ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 IsNegative(Lane1 a) => new(double.IsNegative(a.V) ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 And(Lane1 a, Lane1 b) => new(a.V != 0 && b.V != 0 ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Or(Lane1 a, Lane1 b) => new(a.V != 0 || b.V != 0 ? 1.0 : 0.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 AndNot(Lane1 a, Lane1 b) => new(a.V != 0 && b.V == 0 ? 1.0 : 0.0);
    public static Lane1 AllTrue => new(1.0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane1 Select(Lane1 mask, Lane1 whenTrue, Lane1 whenFalse) => mask.V != 0 ? whenTrue : whenFalse;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyTrue(Lane1 mask) => mask.V != 0;
}

/// <summary>Four doubles in a <see cref="Vector256{T}"/> (AVX2 machines).</summary>
internal readonly struct Lane4 : ILanes<Lane4>
{
    public readonly Vector256<double> V;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Lane4(Vector256<double> v) => V = v;

    public static int Count => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Splat(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Load(ReadOnlySpan<double> source) => new(Vector256.Create(source));
    public static double GetLane(Lane4 value, int lane) => value.V.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 operator +(Lane4 a, Lane4 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 operator -(Lane4 a, Lane4 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 operator *(Lane4 a, Lane4 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 operator /(Lane4 a, Lane4 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 operator -(Lane4 a) => new(-a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Sqrt(Lane4 x) => new(Vector256.Sqrt(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Abs(Lane4 x) => new(Vector256.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Min(Lane4 a, Lane4 b) => new(Vector256.MinNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Max(Lane4 a, Lane4 b) => new(Vector256.MaxNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 MultiplyAdd(Lane4 a, Lane4 b, Lane4 c) => new(Vector256.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 CopySign(Lane4 value, Lane4 sign) => new(Vector256.CopySign(value.V, sign.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 LessOrEqual(Lane4 a, Lane4 b) => new(Vector256.LessThanOrEqual(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 LessThan(Lane4 a, Lane4 b) => new(Vector256.LessThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 GreaterThan(Lane4 a, Lane4 b) => new(Vector256.GreaterThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 IsNegative(Lane4 a) => new(Vector256.IsNegative(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 And(Lane4 a, Lane4 b) => new(a.V & b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Or(Lane4 a, Lane4 b) => new(a.V | b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 AndNot(Lane4 a, Lane4 b) => new(Vector256.AndNot(a.V, b.V));
    public static Lane4 AllTrue => new(Vector256<double>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane4 Select(Lane4 mask, Lane4 whenTrue, Lane4 whenFalse) => new(Vector256.ConditionalSelect(mask.V, whenTrue.V, whenFalse.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyTrue(Lane4 mask) => mask.V.ExtractMostSignificantBits() != 0;
}

/// <summary>Eight doubles in a <see cref="Vector512{T}"/> (AVX-512 machines).</summary>
internal readonly struct Lane8 : ILanes<Lane8>
{
    public readonly Vector512<double> V;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Lane8(Vector512<double> v) => V = v;

    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Splat(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Load(ReadOnlySpan<double> source) => new(Vector512.Create(source));
    public static double GetLane(Lane8 value, int lane) => value.V.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 operator +(Lane8 a, Lane8 b) => new(a.V + b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 operator -(Lane8 a, Lane8 b) => new(a.V - b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 operator *(Lane8 a, Lane8 b) => new(a.V * b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 operator /(Lane8 a, Lane8 b) => new(a.V / b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 operator -(Lane8 a) => new(-a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Sqrt(Lane8 x) => new(Vector512.Sqrt(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Abs(Lane8 x) => new(Vector512.Abs(x.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Min(Lane8 a, Lane8 b) => new(Vector512.MinNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Max(Lane8 a, Lane8 b) => new(Vector512.MaxNative(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 MultiplyAdd(Lane8 a, Lane8 b, Lane8 c) => new(Vector512.FusedMultiplyAdd(a.V, b.V, c.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 CopySign(Lane8 value, Lane8 sign) => new(Vector512.CopySign(value.V, sign.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 LessOrEqual(Lane8 a, Lane8 b) => new(Vector512.LessThanOrEqual(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 LessThan(Lane8 a, Lane8 b) => new(Vector512.LessThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 GreaterThan(Lane8 a, Lane8 b) => new(Vector512.GreaterThan(a.V, b.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 IsNegative(Lane8 a) => new(Vector512.IsNegative(a.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 And(Lane8 a, Lane8 b) => new(a.V & b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Or(Lane8 a, Lane8 b) => new(a.V | b.V);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 AndNot(Lane8 a, Lane8 b) => new(Vector512.AndNot(a.V, b.V));
    public static Lane8 AllTrue => new(Vector512<double>.AllBitsSet);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lane8 Select(Lane8 mask, Lane8 whenTrue, Lane8 whenFalse) => new(Vector512.ConditionalSelect(mask.V, whenTrue.V, whenFalse.V));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyTrue(Lane8 mask) => mask.V.ExtractMostSignificantBits() != 0;
}
