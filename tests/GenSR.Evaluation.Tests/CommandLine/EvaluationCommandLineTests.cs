using GenSR.Evaluation.CommandLine;

namespace GenSR.Evaluation.Tests.CommandLine;

/// <summary>The evaluation console's command line: help, switches, yes/no options and the merge subcommand's errors.</summary>
public sealed class EvaluationCommandLineTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = EvaluationCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_every_option_with_its_default_and_range_and_exits_0()
    {
        var (code, output, error) = Run("--help");

        Assert.Equal(EvaluationCommand.Success, code);
        Assert.Empty(error);
        foreach (var option in new[] { "--data <folder>", "--format <auto|amazon|movielens|jsonl>", "--demo", "--demo-users <n>", "--protocol <full|sampled|both>",
                                       "--systems <list>", "--exclude-seen <yes|no>", "--seeds <n>", "--device <auto|cpu|cuda|cuda:N>", "--out <folder>", "--quiet" })
            Assert.Contains(option, output);
        Assert.Contains("(default 99)", output);
        Assert.Contains("in [1, 100] (default 1)", output);
        Assert.Contains("merge", output);
    }

    [Fact]
    public void Merge_help_names_its_reports_and_the_output_folder()
    {
        var (code, output, _) = Run("merge", "--help");

        Assert.Equal(EvaluationCommand.Success, code);
        Assert.Contains("<report.json>", output);
        Assert.Contains("--out <folder>", output);
    }

    [Theory]
    [InlineData(new[] { "merge", "a.json", "b.json" }, "--out")]
    [InlineData(new[] { "merge", "a.json", "b.json", "--out" }, "--out needs a value.")]
    [InlineData(new[] { "merge", "a.json", "b.json", "--out", "x", "--out", "y" }, "--out is given twice.")]
    [InlineData(new[] { "merge", "a.json", "--frobnicate", "--out", "x" }, "merge takes report files and --out <folder>, not \"--frobnicate\".")]
    [InlineData(new[] { "merge", "a.json", "--out", "x" }, "merge needs at least two report.json files")]
    [InlineData(new[] { "merge", "--out", "x" }, "report.json")]
    public void A_merge_without_two_reports_and_one_output_folder_is_a_usage_error(string[] args, string message)
    {
        var (code, _, error) = Run(args);

        Assert.Equal(EvaluationCommand.UsageError, code);
        Assert.Contains(message, error);
        Assert.Contains("usage: GenSR.Evaluation.Cli", error);
    }

    [Fact]
    public void Switches_are_on_when_given_and_take_an_inline_true_or_false()
    {
        Assert.True(EvaluationCommandLine.Parse(["--demo", "--quiet"]).Quiet);
        Assert.False(EvaluationCommandLine.Parse(["--demo"]).Quiet);
        Assert.False(EvaluationCommandLine.Parse(["--demo", "--quiet=false"]).Quiet);
        Assert.False(EvaluationCommandLine.Parse(["--data", ".", "--demo=false"]).Demo);
        Assert.Contains("--demo is given twice.", Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--demo"])).Message);
    }

    [Fact]
    public void Yes_no_options_take_yes_no_true_false_on_and_off()
    {
        Assert.False(EvaluationCommandLine.Parse(["--demo", "--exclude-seen", "no"]).ExcludeSeen);
        Assert.True(EvaluationCommandLine.Parse(["--demo", "--bucket-by-length=on"]).BucketByLength);
        Assert.Null(EvaluationCommandLine.Parse(["--demo"]).BucketByLength);
        Assert.True(EvaluationCommandLine.Parse(["--demo", "--item-categories", "Yes"]).ItemCategories);
    }

    [Fact]
    public void Format_auto_goes_with_the_demo_and_a_named_format_does_not()
    {
        Assert.Null(EvaluationCommandLine.Parse(["--demo", "--format", "auto"]).Format);
        Assert.Equal("--format applies to --data, not to --demo.",
                     Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--format", "amazon"])).Message);
        Assert.Equal("--published: the file \"no-such-file.json\" does not exist.",
                     Assert.Throws<CommandLineException>(() => EvaluationCommandLine.Parse(["--demo", "--published", "no-such-file.json"])).Message);
    }

    [Fact]
    public void Help_alone_parses_to_a_help_request()
    {
        Assert.True(EvaluationCommandLine.Parse(["--help"]).Help);
        Assert.True(EvaluationCommandLine.Parse(["-h"]).Help);
    }
}
