using System.Diagnostics;
using System.Globalization;
using GenSR.Core;
using GenSR.DatasetStats;

// Loads one or more datasets (or the embedded demo) and prints one line of statistics per dataset, then the
// loader's warnings. Datasets without search events get synthesised queries first (category-path protocol).
// Exit code: 0 when every dataset loaded (and after --help), 1 when one failed, 2 on a command-line error
// (see DatasetStatsCommandLine).

if (DatasetStatsCommandLine.Parse(args, Console.Out, Console.Error, out var exitCode) is not { } options)
    return exitCode;

var failed = false;
if (options.Demo)
    failed |= !Report("demo", "demo", () => DemoDataset.Generate(new DemoDatasetOptions()));
foreach (var folder in options.Folders)
{
    failed |= !Report(folder, null, () =>
    {
        var detected = options.Format ?? DatasetLoader.DetectFormat(folder);
        return DatasetLoader.Load(folder, detected);
    });
}
return failed ? 1 : 0;

static bool Report(string source, string? label, Func<SrDataset> load)
{
    var clock = Stopwatch.StartNew();
    try
    {
        var dataset = load();
        // The process's peak so far: the runtime, the loaded dataset and whatever the loader held at its largest.
        var peakMegabytes = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        var synthesised = false;
        var statistics = dataset.ComputeStatistics();
        if (statistics.SearchEvents == 0)
        {
            var synthesizer = new CategoryQuerySynthesizer();
            dataset = synthesizer.Apply(dataset);
            statistics = dataset.ComputeStatistics();
            synthesised = true;
        }
        clock.Stop();
        var queries = synthesised
            ? string.Create(CultureInfo.InvariantCulture, $"synthesised (fraction {new QuerySynthesisOptions().SearchFraction:0.##})")
            : "from the data";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label ?? dataset.Name}: {statistics} queries={queries} source={source} time={clock.Elapsed.TotalSeconds:F2}s peak_memory={peakMegabytes:F0}MiB"));
        foreach (var warning in dataset.Warnings)
            Console.WriteLine($"  warning: {warning}");
        return true;
    }
    catch (DatasetFormatException ex)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return false;
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
    {
        Console.Error.WriteLine($"error: {source}: {ex.Message}");
        return false;
    }
}
