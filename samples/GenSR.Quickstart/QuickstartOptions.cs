using GenSR.Core;
using GenSR.Representation;

namespace GenSR.Quickstart;

/// <summary>Command-line options of the quickstart (see <see cref="QuickstartCommandLine"/>); the initial values are the defaults.</summary>
internal sealed record QuickstartOptions
{
    /// <summary>The dataset folder (<c>--data</c>); <c>null</c> for the embedded demo dataset.</summary>
    public string? Data { get; init; }

    /// <summary>The dataset format (<c>--format</c>); <c>null</c> detects it from the folder's files.</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>The device (<c>--device</c>); null (<c>auto</c>) for the first CUDA device when one is available, else the CPU.</summary>
    public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>Maximum training epochs (<c>--epochs</c>).</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Where the checkpoint, report and plot go (<c>--out</c>).</summary>
    public string Out { get; init; } = Path.Combine("artifacts", "quickstart");

    /// <summary>The seed (<c>--seed</c>).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Evaluate on the first n test users only (<c>--eval-cases</c>); <c>null</c> for all.</summary>
    public int? EvaluationCases { get; init; }

    /// <summary>CPU threads for torch (<c>--threads</c>); <c>null</c> for half the cores, at least 1.</summary>
    public int? Threads { get; init; }

    /// <summary>The backbone width (<c>--model-dim</c>), a multiple of 32.</summary>
    public int ModelDimension { get; init; } = 64;

    /// <summary>The item vectors identifiers are built from (<c>--identifiers</c>).</summary>
    public IdentifierSource Identifiers { get; init; } = IdentifierSource.Fused;

    /// <summary>Recent history items written into the prompt (<c>--prompt-items</c>).</summary>
    public int PromptHistoryItems { get; init; } = 8;

    /// <summary>The text encoder (<c>--text-encoder</c>): <c>lsa</c>, <c>minilm</c> or <c>arctic</c>.</summary>
    public string TextEncoder { get; init; } = "minilm";
}
