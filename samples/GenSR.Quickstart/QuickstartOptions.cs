using GenSR.Core.Data.Loaders;
using GenSR.Core.Runtime;
using GenSR.Representation.Embeddings;

namespace GenSR.Quickstart;

/// <summary>Command-line options of the quickstart.</summary>
internal sealed record QuickstartOptions
{
    public string? Data { get; init; }
    public DatasetFormat? Format { get; init; }
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
    public int Epochs { get; init; } = 3;
    public string Out { get; init; } = Path.Combine("artifacts", "quickstart");
    public long Seed { get; init; } = 42;
    public int? EvaluationCases { get; init; }
    public int? Threads { get; init; }
    public int ModelDimension { get; init; } = 64;
    public IdentifierSource Identifiers { get; init; } = IdentifierSource.Fused;
    public int PromptHistoryItems { get; init; } = 8;
    public string TextEncoder { get; init; } = "minilm";

    public const string Usage = """
        usage: dotnet run --project samples/GenSR.Quickstart -c Release [-- options]
          --data <folder>        a dataset folder (default: the embedded demo dataset)
          --format <f>           amazon | movielens | jsonl (default: detected from the folder)
          --device <d>           auto | cpu | cuda (default auto)
          --epochs <n>           maximum training epochs (default 3)
          --out <folder>         where the checkpoint, report and plot go (default artifacts/quickstart)
          --seed <n>             seed (default 42)
          --eval-cases <n>       evaluate on the first n test users only (default: all)
          --threads <n>          CPU threads for torch (default: half the cores, at least 1)
          --identifiers <s>      semantic | collaborative | fused (default fused)
          --model-dim <n>        backbone width, a multiple of 32 (default 64)
          --prompt-items <n>     recent history items written into the prompt (default 8)
          --text-encoder <e>     lsa | minilm | arctic: item vectors for identifiers, and with a pretrained
                                 encoder also query vectors (default minilm, from its NuGet package)
        """;

    public static QuickstartOptions Parse(string[] args)
    {
        var o = new QuickstartOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            int Positive(string name, string text) => int.TryParse(text, out var n) && n >= 1 ? n : throw new ArgumentException($"{name} must be a positive integer; got \"{text}\".");
            o = args[i] switch
            {
                "--data" => o with { Data = Value() },
                "--format" => o with { Format = DatasetFormat.Parse(Value()) },
                "--device" => o with { Device = TorchRuntime.Parse(Value()) },
                "--epochs" => o with { Epochs = Positive("--epochs", Value()) },
                "--out" => o with { Out = Value() },
                "--seed" => o with { Seed = long.TryParse(Value(), out var s) ? s : throw new ArgumentException($"--seed must be an integer; got \"{args[i]}\".") },
                "--eval-cases" => o with { EvaluationCases = Positive("--eval-cases", Value()) },
                "--threads" => o with { Threads = Positive("--threads", Value()) },
                "--identifiers" => o with { Identifiers = Enum.TryParse<IdentifierSource>(Value(), ignoreCase: true, out var source) ? source : throw new ArgumentException($"--identifiers must be semantic, collaborative or fused; got \"{args[i]}\".") },
                "--model-dim" => o with { ModelDimension = Positive("--model-dim", Value()) },
                "--prompt-items" => o with { PromptHistoryItems = Positive("--prompt-items", Value()) },
                "--text-encoder" => o with
                {
                    TextEncoder = Value().ToLowerInvariant() is "lsa" or "minilm" or "arctic" ? args[i].ToLowerInvariant()
                        : throw new ArgumentException($"--text-encoder must be lsa, minilm or arctic; got \"{args[i]}\"."),
                },
                "-h" or "--help" => throw new HelpRequestedException(),
                _ => throw new ArgumentException($"Unknown option \"{args[i]}\"."),
            };
        }

        if (o.Data is not null && !Directory.Exists(o.Data)) throw new ArgumentException($"--data: folder \"{o.Data}\" does not exist.");
        return o;
    }
}

/// <summary>Thrown by <see cref="QuickstartOptions.Parse"/> for --help.</summary>
internal sealed class HelpRequestedException : Exception;
