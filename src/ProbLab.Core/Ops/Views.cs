// Shape ops. Reshape shares storage (a view); Permute, Transpose, Slice, Concat, Gather and IndexSelect
// copy into fresh contiguous storage, so every kernel downstream sees row-major data.
using ProbLab.Tensors;

namespace ProbLab.Ops;

public static partial class TensorOps
{
    /// <summary>Same data, new shape (one dimension may be −1 and is inferred). Shares storage.</summary>
    /// <exception cref="ArgumentException">The element counts differ or more than one −1 is given.</exception>
    public static Tensor Reshape(this Tensor x, params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"reshape {ShapeUtil.Format(shape)}: only one dimension may be -1");
                infer = i;
            }
            else known *= s[i];
        }
        if (infer >= 0) s[infer] = known == 0 ? 0 : x.Size / known;
        if (ShapeUtil.Size(s) != x.Size)
            throw new ArgumentException($"cannot reshape {ShapeUtil.Format(x.Shape)} ({x.Size} elements) to {ShapeUtil.Format(shape)}");
        var y = new Tensor(x.Data, s);
        return y.Record("reshape", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            System.Numerics.Tensors.TensorPrimitives.Add(dx, g, dx);
        });
    }

    /// <summary>Collapses dimensions <paramref name="start"/>..end into one.</summary>
    public static Tensor Flatten(this Tensor x, int start = 0)
    {
        int s = ShapeUtil.NormAxis(start, x.Rank);
        var shape = new int[s + 1];
        for (int i = 0; i < s; i++) shape[i] = x.Shape[i];
        shape[s] = -1;
        return x.Reshape(shape);
    }

    /// <summary>Reorders dimensions: output dim i is input dim <paramref name="perm"/>[i]. Copies.</summary>
    public static Tensor Permute(this Tensor x, params int[] perm)
    {
        int r = x.Rank;
        if (perm.Length != r) throw new ArgumentException($"permute needs {r} axes, got {perm.Length}");
        var p = new int[r];
        var seen = new bool[r];
        for (int i = 0; i < r; i++)
        {
            p[i] = ShapeUtil.NormAxis(perm[i], r);
            if (seen[p[i]]) throw new ArgumentException($"permute axes repeat axis {p[i]}");
            seen[p[i]] = true;
        }
        var outShape = new int[r];
        for (int i = 0; i < r; i++) outShape[i] = x.Shape[p[i]];
        var inStrides = ShapeUtil.Strides(x.Shape);
        var srcStrides = new int[r]; // stride in x for each output dim
        for (int i = 0; i < r; i++) srcStrides[i] = inStrides[p[i]];
        var y = new Tensor(new float[x.Size], outShape);
        StridedCopy(x.Data, y.Data, outShape, srcStrides, scatter: false);
        return y.Record("permute", x, () => StridedCopy(y.Grad!, x.Grad!, outShape, srcStrides, scatter: true));
    }

    /// <summary>Swaps two dimensions. Copies.</summary>
    public static Tensor Transpose(this Tensor x, int dim0, int dim1)
    {
        var p = new int[x.Rank];
        for (int i = 0; i < p.Length; i++) p[i] = i;
        int a = ShapeUtil.NormAxis(dim0, x.Rank), b = ShapeUtil.NormAxis(dim1, x.Rank);
        (p[a], p[b]) = (p[b], p[a]);
        return x.Permute(p);
    }

    // Walk the output (contiguous) in order; srcStrides give the matching offset in the other buffer.
    // scatter=false: dst[outIdx] = src[otherIdx]; scatter=true: dst[otherIdx] += src[outIdx].
    private static void StridedCopy(float[] src, float[] dst, int[] outShape, int[] otherStrides, bool scatter)
    {
        int r = outShape.Length;
        if (r == 0) { if (scatter) dst[0] += src[0]; else dst[0] = src[0]; return; }
        int last = outShape[r - 1], lastStride = otherStrides[r - 1];
        int total = ShapeUtil.Size(outShape);
        if (total == 0) return;
        var idx = new int[r];
        int other = 0;
        for (int start = 0; start < total; start += last)
        {
            if (scatter) for (int j = 0; j < last; j++) dst[other + j * lastStride] += src[start + j];
            else for (int j = 0; j < last; j++) dst[start + j] = src[other + j * lastStride];
            for (int d = r - 2; d >= 0; d--)
            {
                idx[d]++;
                other += otherStrides[d];
                if (idx[d] < outShape[d]) break;
                other -= otherStrides[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    /// <summary>Elements [start, start+length) along <paramref name="axis"/>. Copies.</summary>
    public static Tensor Slice(this Tensor x, int axis, int start, int length)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        if (start < 0 || length < 0 || start + length > n)
            throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start}, {start + length}) out of range for axis {ax} of size {n}");
        var shape = (int[])x.Shape.Clone();
        shape[ax] = length;
        var y = new Tensor(new float[outer * length * inner], shape);
        int block = length * inner;
        for (int o = 0; o < outer; o++)
            Array.Copy(x.Data, (o * n + start) * inner, y.Data, o * block, block);
        return y.Record("slice", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int o = 0; o < outer; o++)
            {
                var d = dx.AsSpan((o * n + start) * inner, block);
                System.Numerics.Tensors.TensorPrimitives.Add(d, g.AsSpan(o * block, block), d);
            }
        });
    }

    /// <summary>Concatenates tensors along <paramref name="axis"/>; all other dimensions must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis)
    {
        if (xs.Count == 0) throw new ArgumentException("concat of zero tensors");
        int rank = xs[0].Rank;
        int ax = ShapeUtil.NormAxis(axis, rank);
        int total = 0;
        foreach (var t in xs)
        {
            if (t.Rank != rank) throw new ArgumentException($"concat: rank {t.Rank} differs from {rank}");
            for (int d = 0; d < rank; d++)
                if (d != ax && t.Shape[d] != xs[0].Shape[d])
                    throw new ArgumentException($"concat: shape {ShapeUtil.Format(t.Shape)} does not match {ShapeUtil.Format(xs[0].Shape)} outside axis {ax}");
            total += t.Shape[ax];
        }
        var shape = (int[])xs[0].Shape.Clone();
        shape[ax] = total;
        var (outer, _, inner) = ShapeUtil.AroundAxis(shape, ax);
        var y = new Tensor(new float[ShapeUtil.Size(shape)], shape);
        int offset = 0;
        var offsets = new int[xs.Count];
        for (int k = 0; k < xs.Count; k++)
        {
            offsets[k] = offset;
            int nk = xs[k].Shape[ax];
            for (int o = 0; o < outer; o++)
                Array.Copy(xs[k].Data, o * nk * inner, y.Data, (o * total + offset) * inner, nk * inner);
            offset += nk;
        }
        var parents = xs.ToArray();
        return y.Record("concat", parents, () =>
        {
            var g = y.Grad!;
            for (int k = 0; k < parents.Length; k++)
            {
                if (!parents[k].RequiresGrad) continue;
                int nk = parents[k].Shape[ax];
                var dx = parents[k].Grad!;
                for (int o = 0; o < outer; o++)
                {
                    var d = dx.AsSpan(o * nk * inner, nk * inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, g.AsSpan((o * total + offsets[k]) * inner, nk * inner), d);
                }
            }
        });
    }

    /// <summary>Stacks equal-shaped tensors along a new leading axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs)
    {
        var reshaped = new Tensor[xs.Count];
        for (int i = 0; i < xs.Count; i++)
        {
            var s = new int[xs[i].Rank + 1];
            s[0] = 1;
            Array.Copy(xs[i].Shape, 0, s, 1, xs[i].Rank);
            reshaped[i] = xs[i].Reshape(s);
        }
        return Concat(reshaped, 0);
    }

    /// <summary>Selects slices <paramref name="indices"/> along <paramref name="axis"/> (torch.index_select). Repeats accumulate gradient.</summary>
    public static Tensor IndexSelect(this Tensor x, int axis, int[] indices)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        foreach (int i in indices)
            if ((uint)i >= (uint)n) throw new IndexOutOfRangeException($"index {i} out of range for axis {ax} of size {n}");
        var shape = (int[])x.Shape.Clone();
        shape[ax] = indices.Length;
        int m = indices.Length;
        var y = new Tensor(new float[outer * m * inner], shape);
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < m; k++)
                Array.Copy(x.Data, (o * n + indices[k]) * inner, y.Data, (o * m + k) * inner, inner);
        return y.Record("index_select", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < m; k++)
                {
                    var d = dx.AsSpan((o * n + indices[k]) * inner, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, g.AsSpan((o * m + k) * inner, inner), d);
                }
        });
    }

    /// <summary>
    /// torch.gather along <paramref name="axis"/>: out[..., j, ...] = x[..., index[..., j, ...], ...], where
    /// <paramref name="index"/> has x's shape except along the axis (length <paramref name="indexShape"/>[axis]).
    /// </summary>
    public static Tensor Gather(this Tensor x, int axis, int[] index, int[] indexShape)
    {
        int ax = ShapeUtil.NormAxis(axis, x.Rank);
        if (indexShape.Length != x.Rank) throw new ArgumentException("gather: index rank differs from input rank");
        for (int d = 0; d < x.Rank; d++)
            if (d != ax && indexShape[d] != x.Shape[d]) throw new ArgumentException($"gather: index shape {ShapeUtil.Format(indexShape)} does not match {ShapeUtil.Format(x.Shape)} outside axis {ax}");
        if (ShapeUtil.Size(indexShape) != index.Length) throw new ArgumentException("gather: index length does not match its shape");
        var (outer, n, inner) = ShapeUtil.AroundAxis(x.Shape, ax);
        int m = indexShape[ax];
        var y = new Tensor(new float[index.Length], (int[])indexShape.Clone());
        var src = new int[index.Length];
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < m; k++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * m + k) * inner + i;
                    int j = index[at];
                    if ((uint)j >= (uint)n) throw new IndexOutOfRangeException($"gather index {j} out of range for axis {ax} of size {n}");
                    src[at] = (o * n + j) * inner + i;
                    y.Data[at] = x.Data[src[at]];
                }
        return y.Record("gather", x, () =>
        {
            var g = y.Grad!; var dx = x.Grad!;
            for (int t = 0; t < src.Length; t++) dx[src[t]] += g[t];
        });
    }

    /// <summary>Embedding lookup: rows of <paramref name="weight"/> (V, C) for each id; output shape idsShape + (C,).</summary>
    public static Tensor Embedding(this Tensor weight, int[] ids, params int[] idsShape)
    {
        if (weight.Rank != 2) throw new ArgumentException($"embedding weight must be (V, C), got {ShapeUtil.Format(weight.Shape)}");
        int v = weight.Shape[0], c = weight.Shape[1];
        var shape = new int[idsShape.Length + 1];
        Array.Copy(idsShape, shape, idsShape.Length);
        shape[^1] = c;
        if (ShapeUtil.Size(idsShape) != ids.Length) throw new ArgumentException($"embedding: {ids.Length} ids do not fill shape {ShapeUtil.Format(idsShape)}");
        var y = new Tensor(new float[ids.Length * c], shape);
        for (int t = 0; t < ids.Length; t++)
        {
            if ((uint)ids[t] >= (uint)v) throw new IndexOutOfRangeException($"token id {ids[t]} at position {t} is outside the vocabulary of size {v}");
            Array.Copy(weight.Data, ids[t] * c, y.Data, t * c, c);
        }
        return y.Record("embedding", weight, () =>
        {
            var g = y.Grad!; var dw = weight.Grad!;
            for (int t = 0; t < ids.Length; t++)
            {
                var d = dw.AsSpan(ids[t] * c, c);
                System.Numerics.Tensors.TensorPrimitives.Add(d, g.AsSpan(t * c, c), d);
            }
        });
    }
}
