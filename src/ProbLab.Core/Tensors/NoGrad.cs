// NoGrad: a scope in which ops record no autograd history (evaluation, sampling, optimizer updates).
namespace ProbLab.Tensors;

/// <summary>Disables gradient recording on the current thread while the returned scope is alive.</summary>
public static class NoGrad
{
    [ThreadStatic] private static int _depth;

    /// <summary>True inside at least one <see cref="Scope"/> on this thread.</summary>
    public static bool IsActive => _depth > 0;

    /// <summary>Enters a no-grad scope; dispose it (<c>using var _ = NoGrad.Scope();</c>) to leave.</summary>
    public static ScopeHandle Scope()
    {
        _depth++;
        return new ScopeHandle();
    }

    /// <summary>Handle that leaves the scope on Dispose.</summary>
    public readonly struct ScopeHandle : IDisposable
    {
        /// <summary>Leaves the scope.</summary>
        public void Dispose() => _depth--;
    }
}
