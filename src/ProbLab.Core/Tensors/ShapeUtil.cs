// Shape helpers shared by ops and kernels: sizes, strides, axis normalisation, broadcasting.
namespace ProbLab.Tensors;

/// <summary>Static helpers for shapes (int arrays, outermost dimension first).</summary>
public static class ShapeUtil
{
    /// <summary>Product of the dimensions, checked for negatives and int overflow.</summary>
    public static int CheckedSize(int[] shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape {Format(shape)} has a negative dimension");
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException($"shape {Format(shape)} has more than 2^31 elements");
        }
        return (int)n;
    }

    /// <summary>Product of the dimensions.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>Formats a shape as <c>(2, 3, 4)</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 1) return $"({shape[0]},)";
        return "(" + string.Join(", ", shape.ToArray()) + ")";
    }

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside [-rank, rank).</exception>
    public static int NormAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis out of range for a rank-{rank} tensor");
        return a;
    }

    /// <summary>Flat offset of a multi-index, with bounds checks.</summary>
    public static int Offset(int[] shape, int[] index)
    {
        if (index.Length != shape.Length) throw new ArgumentException($"index of rank {index.Length} for a tensor of shape {Format(shape)}");
        int off = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i]) throw new IndexOutOfRangeException($"index {index[i]} out of range for dimension {i} of shape {Format(shape)}");
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /// <summary>Splits a shape around <paramref name="axis"/> into (outer, axis length, inner) element counts.</summary>
    public static (int Outer, int N, int Inner) AroundAxis(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>NumPy broadcast of two shapes.</summary>
    /// <exception cref="ArgumentException">The shapes are not broadcast-compatible.</exception>
    public static int[] Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {Format(a)} and {Format(b)} cannot be broadcast together");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Whether two shapes are identical.</summary>
    public static bool Same(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>Strides of <paramref name="shape"/> as seen from a broadcast <paramref name="target"/> shape (0 on broadcast dims).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var strides = new int[target.Length];
        var own = Strides(shape);
        int off = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            strides[i + off] = shape[i] == 1 && target[i + off] != 1 ? 0 : own[i];
        return strides;
    }
}
