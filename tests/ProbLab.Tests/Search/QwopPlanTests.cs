// QwopPlan: parsing "v1,...,v40" text and plan files, one-line errors naming the bad value's position.
using ProbLab.Search;
using ProbLab.Tensors;

namespace ProbLab.Tests.Search;

public class QwopPlanTests
{
    private static string Values(int n, string sep = ",") => string.Join(sep, Enumerable.Range(0, n).Select(i => (i / 20.0 - 1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(",")]
    [InlineData(", ")]
    [InlineData(" ")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\t,\n")]
    public void ParsesSeparators(string sep)
    {
        double[] plan = QwopPlan.Parse(Values(40, sep));
        Assert.Equal(40, plan.Length);
        for (int i = 0; i < 40; i++) Assert.Equal(i / 20.0 - 1, plan[i]);
    }

    [Fact]
    public void ParsesJsonArrayAndExponents()
    {
        double[] plan = QwopPlan.Parse("  [" + Values(39, ", ") + ", -1e-3 ]\n");
        Assert.Equal(-1e-3, plan[39]);
    }

    [Fact]
    public void FormatRoundTripsExactly()
    {
        var rng = new Rng(31);
        var plan = new double[40];
        for (int i = 0; i < 40; i++) plan[i] = rng.Uniform(-1, 1);
        Assert.Equal(plan, QwopPlan.Parse(QwopPlan.Format(plan)));
    }

    [Theory]
    [InlineData("abc", 7, "'abc' is not a number")]
    [InlineData("NaN", 1, "is NaN")]
    [InlineData("Infinity", 40, "is Infinity")]
    [InlineData("1;5", 12, "'1;5' is not a number")]
    public void BadTokenNamesItsPosition(string token, int position, string expected)
    {
        var parts = Enumerable.Repeat("0.1", 40).ToArray();
        parts[position - 1] = token;
        var e = Assert.Throws<FormatException>(() => QwopPlan.Parse(string.Join(",", parts), "--plan"));
        Assert.Contains($"value {position}", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("--plan", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(39)]
    [InlineData(41)]
    [InlineData(0)]
    public void WrongCountIsOneLine(int n)
    {
        var e = Assert.Throws<FormatException>(() => QwopPlan.Parse(Values(n)));
        Assert.Contains($"{n} values", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("0.1,,0.2", "empty value at position 2")]
    [InlineData(",0.1", "empty value at position 1")]
    [InlineData("0.1,0.2,", "trailing comma")]
    [InlineData("[0.1,0.2", "unbalanced")]
    public void EmptyValuesAndBracketsAreRejected(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => QwopPlan.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void FileErrorsNameFileAndLine()
    {
        string dir = Directory.CreateTempSubdirectory("qwopplan").FullName;
        try
        {
            string path = Path.Combine(dir, "plan.txt");
            var lines = Enumerable.Repeat("0.25", 40).ToArray();
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            Assert.All(QwopPlan.ParseFile(path), v => Assert.Equal(0.25, v));

            lines[22] = "0.2x";
            File.WriteAllText(path, string.Join("\n", lines));
            var e = Assert.Throws<FormatException>(() => QwopPlan.ParseFile(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("value 23 (line 23)", e.Message);

            var missing = Assert.Throws<IOException>(() => QwopPlan.ParseFile(Path.Combine(dir, "nope.txt")));
            Assert.Contains("nope.txt", missing.Message);
            Assert.DoesNotContain('\n', missing.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ValidateAcceptsOutOfRangeButNotNonFinite()
    {
        var plan = new double[40];
        plan[0] = 5; plan[1] = -7;
        QwopPlan.Validate(plan);
        plan[39] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => QwopPlan.Validate(plan));
        Assert.Contains("plan[39]", e.Message);
    }
}
