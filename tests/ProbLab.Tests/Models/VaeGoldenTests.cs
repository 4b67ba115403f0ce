// The VAE against PyTorch 1.13 (TestData/golden_vae.json, tools/golden_vae.py): same weights, inputs and
// noise give the same −ELBO, reconstruction and KL terms, the same gradient for every parameter, and the same
// losses over five Adam steps. Names match: the script's modules are enc, mu, logvar, dec, out.
using System.Text.Json;
using ProbLab.Models;
using ProbLab.Nn.Optim;
using ProbLab.Tensors;

namespace ProbLab.Tests.Models;

public class VaeGoldenTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "golden_vae.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static (Vae Model, Tensor X, Tensor[] Eps) Build()
    {
        var vae = new Vae(new VaeConfig(Root.GetProperty("in").GetInt32(), Root.GetProperty("hidden").GetInt32(), Root.GetProperty("latent").GetInt32()), new Rng(0));
        var state = Root.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name,
            p => new Tensor(Floats(p.Value.GetProperty("data")), p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray()));
        vae.LoadStateDict(state);
        var xe = Root.GetProperty("x");
        var x = new Tensor(Floats(xe.GetProperty("data")), xe.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        var eps = Root.GetProperty("eps").EnumerateArray().Select(e => new Tensor(Floats(e), x.Shape[0], vae.Config.Latent)).ToArray();
        return (vae, x, eps);
    }

    [Fact]
    public void ElboTermsAndGradientsMatchPyTorch()
    {
        var (vae, x, eps) = Build();
        var e = vae.Elbo(x, eps[0]);
        Check.Close(Root.GetProperty("loss").GetDouble(), e.Loss.Item(), 1e-4, 1e-5, "−ELBO");
        Check.Close(Root.GetProperty("recon").GetDouble(), e.Recon, 1e-4, 1e-5, "reconstruction");
        Check.Close(Root.GetProperty("kl").GetDouble(), e.Kl, 1e-5, 1e-5, "KL");
        e.Loss.Backward();
        foreach (var g in Root.GetProperty("grads").EnumerateObject())
            Check.Close(Floats(g.Value), vae.StateDict()[g.Name].Grad!, 1e-5, 1e-4, $"d/d{g.Name}");
    }

    [Fact]
    public void AdamStepsMatchPyTorch()
    {
        var (vae, x, eps) = Build();
        var opt = new Adam(vae.NamedParameters(), (float)Root.GetProperty("adam_lr").GetDouble());
        var expected = Root.GetProperty("adam_losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int t = 0; t < expected.Length; t++)
        {
            opt.ZeroGrad();
            var e = vae.Elbo(x, eps[t + 1]);
            e.Loss.Backward();
            opt.Step();
            Check.Close(expected[t], e.Loss.Item(), 1e-3, 1e-5, $"loss before step {t + 1}");
        }
    }
}
