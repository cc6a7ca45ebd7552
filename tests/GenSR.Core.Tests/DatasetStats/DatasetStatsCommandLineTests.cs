using GenSR.DatasetStats;

namespace GenSR.Core.Tests.DatasetStats;

/// <summary>The command line of eng/GenSR.DatasetStats, as CI calls it.</summary>
public sealed class DatasetStatsCommandLineTests
{
    private static (DatasetStatsOptions? Options, int Code, string Output, string Error) Parse(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = DatasetStatsCommandLine.Parse(args, output, error, out var code);
        return (options, code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Data_is_repeated_once_per_folder_in_order_and_the_format_is_detected_by_default()
    {
        var (options, code, _, _) = Parse("--data", "first", "--data", "second", "--data=third");

        Assert.Equal(0, code);
        Assert.NotNull(options);
        Assert.Equal(["first", "second", "third"], options.Folders);
        Assert.Null(options.Format);
        Assert.False(options.Demo);
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("amazon", DatasetFormat.Amazon)]
    [InlineData("MovieLens", DatasetFormat.MovieLens)]
    [InlineData("jsonl", DatasetFormat.JsonLines)]
    public void Format_names_every_folders_format_or_auto(string name, DatasetFormat? format)
    {
        Assert.Equal(format, Parse("--data", "d", "--format", name).Options!.Format);
    }

    [Fact]
    public void The_demo_needs_no_folder()
    {
        var (options, code, _, _) = Parse("--demo");

        Assert.Equal(0, code);
        Assert.NotNull(options);
        Assert.True(options.Demo);
        Assert.Empty(options.Folders);
    }

    [Theory]
    [InlineData(new string[0], "give --data <folder> or --demo.")]
    [InlineData(new[] { "--data", "d", "--format", "csv" }, "--format: unknown format \"csv\"; expected auto, amazon, movielens, jsonl.")]
    [InlineData(new[] { "--data" }, "--data")]
    [InlineData(new[] { "--demo", "--frobnicate" }, "--frobnicate")]
    public void A_command_line_error_exits_2_naming_the_option_and_shows_the_usage(string[] args, string message)
    {
        var (options, code, _, error) = Parse(args);

        Assert.Null(options);
        Assert.Equal(DatasetStatsCommandLine.UsageError, code);
        Assert.Contains(message, error);
        Assert.Contains("usage: GenSR.DatasetStats", error);
    }

    [Fact]
    public void Help_lists_the_options_and_exits_0()
    {
        var (options, code, output, _) = Parse("--help");

        Assert.Null(options);
        Assert.Equal(0, code);
        Assert.Contains("--data <folder>", output);
        Assert.Contains("--format <auto|amazon|movielens|jsonl>", output);
        Assert.Contains("--demo", output);
    }
}
