using GenSR.Core;
using GenSR.Quickstart;
using GenSR.Representation;

namespace GenSR.Evaluation.Tests.CommandLine;

/// <summary>The quickstart sample's command line.</summary>
public sealed class QuickstartCommandLineTests
{
    private static (QuickstartOptions? Options, int Code, string Output, string Error) Parse(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = QuickstartCommandLine.Parse(args, output, error, out var code);
        return (options, code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Without_arguments_it_trains_on_the_demo_data_with_the_documented_defaults()
    {
        var (options, code, _, error) = Parse();

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.NotNull(options);
        Assert.Null(options.Data);
        Assert.Null(options.Format);
        Assert.Null(options.Device);
        Assert.Equal(3, options.Epochs);
        Assert.Equal(Path.Combine("artifacts", "quickstart"), options.Out);
        Assert.Equal(42, options.Seed);
        Assert.Null(options.EvaluationCases);
        Assert.Null(options.Threads);
        Assert.Equal(64, options.ModelDimension);
        Assert.Equal(IdentifierSource.Fused, options.Identifiers);
        Assert.Equal(8, options.PromptHistoryItems);
        Assert.Equal("minilm", options.TextEncoder);
    }

    [Fact]
    public void Options_take_their_value_after_a_space_or_an_equals_sign()
    {
        var (options, code, _, _) = Parse("--data", ".", "--format", "movielens", "--device=cpu", "--epochs", "5", "--seed", "7",
                                          "--eval-cases", "100", "--threads=2", "--model-dim", "128", "--identifiers", "Semantic",
                                          "--prompt-items", "4", "--text-encoder", "LSA", "--out", "out");

        Assert.Equal(0, code);
        Assert.Equal(new QuickstartOptions
        {
            Data = ".", Format = DatasetFormat.MovieLens, Device = TorchSharp.torch.CPU, Epochs = 5, Seed = 7, EvaluationCases = 100, Threads = 2,
            ModelDimension = 128, Identifiers = IdentifierSource.Semantic, PromptHistoryItems = 4, TextEncoder = "lsa", Out = "out",
        }, options);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs: expected an integer in [1, 10000], got \"0\".")]
    [InlineData("--model-dim", "100", "--model-dim: expected a multiple of 32 in [32, 4096], got \"100\".")]
    [InlineData("--text-encoder", "bert", "--text-encoder: expected lsa, minilm or arctic, got \"bert\".")]
    [InlineData("--identifiers", "1", "--identifiers: expected semantic, collaborative or fused, got \"1\".")]
    [InlineData("--device", "tpu", "--device: expected auto, cpu, cuda or cuda:N, got \"tpu\".")]
    [InlineData("--format", "csv", "--format: expected amazon, movielens or jsonl, got \"csv\".")]
    [InlineData("--seed", "x", "--seed: expected an integer, got \"x\".")]
    [InlineData("--data", "no/such/folder", "--data: the folder \"no/such/folder\" does not exist.")]
    public void A_bad_value_is_a_usage_error_naming_the_option_and_what_it_accepts(string option, string value, string message)
    {
        var (options, code, _, error) = Parse(option, value);

        Assert.Null(options);
        Assert.Equal(QuickstartCommandLine.UsageError, code);
        Assert.Contains($"error: {message}", error);
        Assert.Contains(QuickstartCommandLine.Usage, error);
    }

    [Fact]
    public void Help_lists_the_options_with_their_defaults_and_exits_0()
    {
        var (options, code, output, _) = Parse("--help");

        Assert.Null(options);
        Assert.Equal(0, code);
        Assert.Contains("--epochs <n>", output);
        Assert.Contains("[default: 3]", output);
        Assert.Contains("--text-encoder <lsa|minilm|arctic>", output);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error_that_names_it()
    {
        var (options, code, _, error) = Parse("--frobnicate");

        Assert.Null(options);
        Assert.Equal(QuickstartCommandLine.UsageError, code);
        Assert.Contains("--frobnicate", error);
    }
}
