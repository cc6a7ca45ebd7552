using System.Diagnostics;
using System.Globalization;
using GenSR.Core.Data;
using GenSR.Core.Data.Loaders;
using GenSR.Core.Data.Queries;
using GenSR.Core.Demo;

// Loads one or more datasets (or the embedded demo) and prints one line of statistics per dataset, then the
// loader's warnings. Datasets without search events get synthesised queries first (category-path protocol).
// Exit code: 0 when every dataset loaded, 1 when one failed, 2 on a command-line error.

const string Usage = """
    usage: GenSR.DatasetStats --data <folder> [--data <folder> ...] [--format auto|amazon|movielens|jsonl]
           GenSR.DatasetStats --demo
    """;

var folders = new List<string>();
DatasetFormat? format = null;
var demo = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data" when i + 1 < args.Length:
            folders.Add(args[++i]);
            break;
        case "--format" when i + 1 < args.Length:
            var name = args[++i];
            if (!string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    format = DatasetFormat.Parse(name);
                }
                catch (ArgumentException ex)
                {
                    return CommandLineError(ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal));
                }
            }
            break;
        case "--demo":
            demo = true;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            return CommandLineError($"unknown or incomplete argument \"{args[i]}\".");
    }
}
if (folders.Count == 0 && !demo)
    return CommandLineError("give --data <folder> or --demo.");

var failed = false;
if (demo)
    failed |= !Report("demo", "demo", () => DemoDataset.Generate(new DemoDatasetOptions()));
foreach (var folder in folders)
{
    failed |= !Report(folder, null, () =>
    {
        var detected = format ?? DatasetLoader.DetectFormat(folder);
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

static int CommandLineError(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
