// Checkpoints: safetensors round trip and malformed files; save → load → continue equals an uninterrupted
// run bit for bit (weights, Adam moments, step count and the batching RNG all restored).
using System.Text;
using ProbLab.Checkpoints;
using ProbLab.Data;
using ProbLab.Nn;
using ProbLab.Nn.Optim;
using ProbLab.Ops;
using ProbLab.Tensors;

namespace ProbLab.Tests.Checkpoints;

public class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "problab-ckpt-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    [Fact]
    public void SafetensorsRoundTrip()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["b.weight"] = Tensor.FromArray(new float[] { 1, -2.5f, 3e-8f, float.MaxValue, 0, 6 }, 2, 3),
            ["a"] = Tensor.FromArray(new float[] { 42 }),
        };
        var bytes = Safetensors.Serialize(tensors, new Dictionary<string, string> { ["note"] = "hi" });
        ulong headerLen = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLen % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLen);
        Assert.Contains("\"dtype\":\"F32\"", header);
        Assert.Contains("\"data_offsets\":[0,4]", header); // "a" sorts first
        var (back, meta) = Safetensors.Deserialize(bytes);
        Assert.Equal("hi", meta["note"]);
        Assert.Equal(new[] { 2, 3 }, back["b.weight"].Shape);
        Assert.Equal(tensors["b.weight"].Data, back["b.weight"].Data);
    }

    [Fact]
    public void MalformedSafetensorsGiveOneLineErrors()
    {
        var e1 = Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize(new byte[] { 1, 2, 3 }, "x.safetensors"));
        Assert.Contains("x.safetensors", e1.Message);
        var bad = new byte[16];
        BitConverter.GetBytes(1000UL).CopyTo(bad, 0);
        var e2 = Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize(bad, "y.safetensors"));
        Assert.DoesNotContain('\n', e2.Message);
    }

    private static (Mlp Model, Adam Opt) Build()
    {
        var m = new Mlp(new[] { 2, 16, 3 }, Activation.Tanh, new Rng(3));
        return (m, new Adam(m.NamedParameters(), 1e-2f));
    }

    private static void TrainSteps(Mlp model, Adam opt, Rng batchRng, Tensor x, int[] y, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            var idx = new int[16];
            for (int i = 0; i < idx.Length; i++) idx[i] = batchRng.NextInt(y.Length);
            var xb = x.IndexSelect(0, idx);
            var yb = idx.Select(i => y[i]).ToArray();
            opt.ZeroGrad();
            model.Forward(xb).CrossEntropy(yb).Backward();
            opt.Step();
        }
    }

    [Fact]
    public void ResumeEqualsUninterruptedBitForBit()
    {
        var (x, y) = Spirals.Generate(50, 3, new Rng(1));

        var (m1, o1) = Build();
        TrainSteps(m1, o1, new Rng(99), x, y, 20);

        var (m2, o2) = Build();
        var batchRng = new Rng(99);
        TrainSteps(m2, o2, batchRng, x, y, 10);
        Checkpoint.Save(_dir, m2, o2, new TrainingState { Epoch = 1, Rngs = { ["batches"] = batchRng.GetState() } });

        var (m3, o3) = Build();
        Init.Constant(m3.Parameters().First(), 123f); // make sure loading really overwrites
        var state = Checkpoint.Load(_dir, m3, o3);
        var resumedRng = new Rng(0);
        resumedRng.SetState(state.Rngs["batches"]);
        Assert.Equal(10, o3.StepCount);
        TrainSteps(m3, o3, resumedRng, x, y, 10);

        var a = m1.Parameters().SelectMany(p => p.Data).ToArray();
        var b = m3.Parameters().SelectMany(p => p.Data).ToArray();
        Assert.Equal(a, b); // exact float equality
    }

    [Fact]
    public void SaveReplacesAtomicallyAndLeavesNoTempFolders()
    {
        var (m, o) = Build();
        Checkpoint.Save(_dir, m, o, new TrainingState());
        Checkpoint.Save(_dir, m, o, new TrainingState { Epoch = 2 });
        Assert.Equal(2, Checkpoint.ReadState(_dir).Epoch);
        var siblings = Directory.GetDirectories(Path.GetDirectoryName(_dir)!, Path.GetFileName(_dir) + "*");
        Assert.Single(siblings);
    }

    [Fact]
    public void LoadFromMissingOrMismatchedCheckpointFailsClearly()
    {
        var (m, o) = Build();
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(_dir, m, o));
        Checkpoint.Save(_dir, m, o, new TrainingState());
        var other = new Mlp(new[] { 2, 8, 3 }, Activation.Tanh, new Rng(3));
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_dir, other));
        Assert.Contains("model.safetensors", e.Message);
    }
}
