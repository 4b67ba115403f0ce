// Renders the demo report in headless chromium and checks the screenshot is a real, non-blank page.
// With PROBLAB_DEMO_OUT=<dir> the page, a full-height screenshot and 1280x1400 tiles of it are kept there.
using ProbLab.Reports;

namespace ProbLab.Tests.Reports;

public class ChromiumTests
{
    [ChromiumFact]
    public void DemoReportRendersToANonBlankScreenshot()
    {
        string? keep = Environment.GetEnvironmentVariable("PROBLAB_DEMO_OUT");
        string dir = keep ?? Path.Combine(Path.GetTempPath(), "problab-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            string html = DemoReport.Build().Save(dir);
            string shot = Path.Combine(dir, "screenshot.png");
            int height = keep != null ? 12000 : 1600;
            Chromium.Screenshot(html, shot, 1280, height, TimeSpan.FromSeconds(120));
            var img = Png.Decode(File.ReadAllBytes(shot));
            Assert.Equal(1280, img.Width);
            Assert.Equal(height, img.Height);
            AssertNotBlank(img);
            if (keep != null) SaveTiles(img, dir);
        }
        finally
        {
            if (keep == null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static void AssertNotBlank(RasterImage img)
    {
        var rgb = img.Convert(PixelFormat.Rgb);
        var colors = new HashSet<int>();
        double sum = 0, sum2 = 0; int n = img.Width * img.Height;
        for (int p = 0; p < n; p++)
        {
            int r = rgb.Pixels[3 * p], g = rgb.Pixels[3 * p + 1], b = rgb.Pixels[3 * p + 2];
            colors.Add((r << 16) | (g << 8) | b);
            double l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            sum += l; sum2 += l * l;
        }
        double mean = sum / n, variance = sum2 / n - mean * mean;
        // A blank or error page is one or two flat colours; the demo has text, charts and a palette.
        Assert.True(colors.Count > 200, $"screenshot has only {colors.Count} distinct colours");
        Assert.True(variance > 100, $"screenshot luminance variance {variance:F1} is too low (blank page?)");
    }

    private static void SaveTiles(RasterImage img, string dir)
    {
        const int tileH = 1400;
        for (int t = 0; t * tileH < img.Height; t++)
        {
            int h = Math.Min(tileH, img.Height - t * tileH);
            var tile = new RasterImage(img.Width, h, img.Format);
            Array.Copy(img.Pixels, t * tileH * img.Width * img.Channels, tile.Pixels, 0, tile.Pixels.Length);
            tile.SavePng(Path.Combine(dir, $"tile-{t + 1}.png"));
        }
    }
}
