using GenSR.Serving.LoadTest;

namespace GenSR.Serving.Tests;

/// <summary>The command line of tools/GenSR.Serving.LoadTest.</summary>
public sealed class LoadTestCommandLineTests
{
    private static (LoadTestOptions? Options, int Code, string Output, string Error) Parse(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = LoadTestCommandLine.Parse(args, output, error, out var code);
        return (options, code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Without_arguments_32_clients_send_2000_requests_to_the_toy_model_with_and_without_batching()
    {
        var (options, code, _, _) = Parse();

        Assert.Equal(0, code);
        Assert.Equal(new LoadTestOptions("toy", 32, 2000, "both", null), options);
        Assert.Equal(Path.Combine("artifacts", "load-test-toy"), options!.CheckpointFolder);
    }

    [Fact]
    public void The_options_given_replace_the_defaults()
    {
        var (options, code, _, _) = Parse("--model", "large", "--clients=8", "--requests", "300", "--batching", "on", "--folder", "checkpoints");

        Assert.Equal(0, code);
        Assert.Equal(new LoadTestOptions("large", 8, 300, "on", "checkpoints"), options);
        Assert.Equal("checkpoints", options!.CheckpointFolder);
    }

    [Theory]
    [InlineData("--model", "huge", "--model: expected toy or large, got \"huge\".")]
    [InlineData("--clients", "0", "--clients: expected an integer in [1, 1024], got \"0\".")]
    [InlineData("--requests", "many", "--requests: expected an integer in [1, 1000000], got \"many\".")]
    [InlineData("--batching", "maybe", "--batching: expected on, off or both, got \"maybe\".")]
    public void A_bad_value_exits_2_naming_the_option_and_what_it_accepts(string option, string value, string message)
    {
        var (options, code, _, error) = Parse(option, value);

        Assert.Null(options);
        Assert.Equal(LoadTestCommandLine.UsageError, code);
        Assert.Contains($"error: {message}", error);
        Assert.Contains(LoadTestCommandLine.Usage, error);
    }

    [Fact]
    public void Help_lists_the_options_with_their_defaults_and_exits_0()
    {
        var (options, code, output, _) = Parse("--help");

        Assert.Null(options);
        Assert.Equal(0, code);
        Assert.Contains("--model <toy|large>", output);
        Assert.Contains("--clients <n>", output);
        Assert.Contains("[default: 2000]", output);
        Assert.Contains("--batching <on|off|both>", output);
    }

    [Fact]
    public void An_unknown_option_exits_2_naming_it()
    {
        var (options, code, _, error) = Parse("--frobnicate", "1");

        Assert.Null(options);
        Assert.Equal(LoadTestCommandLine.UsageError, code);
        Assert.Contains("--frobnicate", error);
    }
}
