// Progress reporting for long loops. A command or experiment asks its context's sink for a task and
// advances it; the sink decides how to show it:
//   SpectreProgress: live bar with loss, rate and ETA on an interactive stderr (not in --json mode);
//   PlainProgress:   an occasional plain line on stderr (redirected stderr, logs, CI);
//   SilentProgress:  nothing (--json mode, tests).
// Every Advance() checks the cancellation token, so any loop with progress stops promptly on Ctrl-C.
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ProbLab.Cli;

/// <summary>Creates progress tasks.</summary>
public interface IProgressSink
{
    /// <summary>Starts a task of <paramref name="total"/> steps (≤ 0 when unknown); dispose it when done.</summary>
    IProgressTask Start(string label, long total);
}

/// <summary>One running task.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Records <paramref name="steps"/> more steps and optionally the latest loss.</summary>
    /// <exception cref="OperationCanceledException">Ctrl-C was pressed.</exception>
    void Advance(long steps = 1, double? loss = null);
}

/// <summary>Shows nothing (still honours cancellation).</summary>
public sealed class SilentProgress(CancellationToken cancel = default) : IProgressSink
{
    /// <inheritdoc/>
    public IProgressTask Start(string label, long total) => new Task(cancel);

    private sealed class Task(CancellationToken cancel) : IProgressTask
    {
        public void Advance(long steps = 1, double? loss = null) => cancel.ThrowIfCancellationRequested();
        public void Dispose() { }
    }
}

/// <summary>Writes "label: 120/300 (40%) loss 0.5231, 85 it/s, ETA 2s" to a writer at most every <c>interval</c>, and a final line.</summary>
public sealed class PlainProgress(TextWriter err, TimeSpan interval, CancellationToken cancel = default) : IProgressSink
{
    /// <inheritdoc/>
    public IProgressTask Start(string label, long total) => new Task(err, label, total, interval, cancel);

    /// <summary>The status text shared by the plain and Spectre displays.</summary>
    public static string Format(string label, long done, long total, double? loss, TimeSpan elapsed, bool final)
    {
        double rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        string count = total > 0 ? $"{done}/{total} ({100.0 * done / total:F0}%)" : $"{done}";
        string lossText = loss is { } l ? $" loss {l:G5}" : "";
        string tail = final ? $" in {elapsed.TotalSeconds:F1}s" : total > 0 && rate > 0 ? $", ETA {Eta((total - done) / rate)}" : "";
        return $"{label}: {count}{lossText}, {Rate(rate)}{tail}";
    }

    private static string Rate(double perSecond) => perSecond >= 10 ? $"{perSecond:F0} it/s" : $"{perSecond:F2} it/s";

    private static string Eta(double seconds) => seconds < 90 ? $"{seconds:F0}s" : seconds < 5400 ? $"{seconds / 60:F0}min" : $"{seconds / 3600:F1}h";

    private sealed class Task(TextWriter err, string label, long total, TimeSpan interval, CancellationToken cancel) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastLine;
        private long _done;
        private double? _loss;

        public void Advance(long steps = 1, double? loss = null)
        {
            cancel.ThrowIfCancellationRequested();
            _done += steps;
            _loss = loss ?? _loss;
            if (_clock.Elapsed - _lastLine < interval) return;
            _lastLine = _clock.Elapsed;
            err.WriteLine(Format(label, _done, total, _loss, _clock.Elapsed, final: false));
        }

        public void Dispose() => err.WriteLine(Format(label, _done, total, _loss, _clock.Elapsed, final: true));
    }
}

/// <summary>Live Spectre.Console progress bars on an interactive stderr; one live display per task.</summary>
public sealed class SpectreProgress(IAnsiConsole console, CancellationToken cancel = default) : IProgressSink
{
    /// <summary>A sink drawing on the process's stderr.</summary>
    public static SpectreProgress ForStderr(CancellationToken cancel) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), cancel);

    /// <inheritdoc/>
    public IProgressTask Start(string label, long total) => new Task(console, label, total, cancel);

    // Spectre's Progress.Start blocks for the whole display, so each task runs it on a helper thread
    // that waits until the task is disposed; the caller's loop only updates the shared ProgressTask.
    private sealed class Task : IProgressTask
    {
        private readonly ManualResetEventSlim _ready = new(), _finished = new();
        private readonly Thread _thread;
        private readonly string _label;
        private readonly CancellationToken _cancel;
        private ProgressTask? _task;

        public Task(IAnsiConsole console, string label, long total, CancellationToken cancel)
        {
            _label = Markup.Escape(label);
            _cancel = cancel;
            var progress = console.Progress().AutoClear(false).HideCompleted(false).Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RateColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());
            _thread = new Thread(() => progress.Start(ctx =>
            {
                _task = ctx.AddTask(_label, maxValue: total > 0 ? total : 1);
                _task.IsIndeterminate = total <= 0;
                _ready.Set();
                _finished.Wait();
                if (total > 0) _task.Value = _task.MaxValue;
                _task.StopTask();
                ctx.Refresh();
            })) { IsBackground = true, Name = "problab-progress" };
            _thread.Start();
            _ready.Wait(cancel);
        }

        public void Advance(long steps = 1, double? loss = null)
        {
            _cancel.ThrowIfCancellationRequested();
            _task!.Increment(steps);
            if (loss is { } l) _task.Description = $"{_label} [grey]loss[/] {l:G5}";
        }

        public void Dispose()
        {
            _finished.Set();
            _thread.Join();
        }
    }

    // Steps per second of a task (Spectre's TransferSpeedColumn shows bytes).
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } s ? (s >= 10 ? $"{s:F0} it/s" : $"{s:F2} it/s") : "", new Style(Color.Grey));
    }
}
