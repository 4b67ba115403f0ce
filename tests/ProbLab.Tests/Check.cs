// Shared numerical assertions: absolute AND magnitude-scaled relative tolerance (|a − e| ≤ atol + rtol·|e|);
// failures name the tensor, the index and both values (llm.c's check_tensor, but throwing).
using ProbLab.Tensors;
using Xunit.Sdk;

namespace ProbLab.Tests;

public static class Check
{
    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected|.</summary>
    public static void Close(double expected, double actual, double atol = 1e-5, double rtol = 1e-4, string name = "value")
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return;
        if (expected == actual) return; // also covers equal infinities
        double tol = atol + rtol * Math.Abs(expected);
        if (!(Math.Abs(actual - expected) <= tol))
            throw new XunitException($"{name}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(actual - expected):G4} > tol {tol:G4})");
    }

    /// <summary>Elementwise <see cref="Close(double,double,double,double,string)"/> over two spans of equal length.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol = 1e-5, double rtol = 1e-4, string name = "tensor")
    {
        if (expected.Length != actual.Length) throw new XunitException($"{name}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], atol, rtol, $"{name}[{i}]");
    }

    /// <summary>Elementwise closeness of double spans.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double atol = 1e-9, double rtol = 1e-7, string name = "array")
    {
        if (expected.Length != actual.Length) throw new XunitException($"{name}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], atol, rtol, $"{name}[{i}]");
    }

    /// <summary>Shape equality plus elementwise closeness.</summary>
    public static void Close(Tensor expected, Tensor actual, double atol = 1e-5, double rtol = 1e-4, string name = "tensor")
    {
        if (!expected.Shape.AsSpan().SequenceEqual(actual.Shape))
            throw new XunitException($"{name}: shape {ShapeUtil.Format(actual.Shape)}, expected {ShapeUtil.Format(expected.Shape)}");
        Close(expected.Data, actual.Data, atol, rtol, name);
    }

    /// <summary>Asserts every value is finite.</summary>
    public static void Finite(ReadOnlySpan<float> values, string name = "tensor")
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) throw new XunitException($"{name}[{i}] is {values[i]}");
    }
}
