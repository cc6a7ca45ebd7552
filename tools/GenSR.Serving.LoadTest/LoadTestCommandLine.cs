using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace GenSR.Serving.LoadTest;

/// <summary>The load test's settings.</summary>
/// <param name="Model"><c>toy</c> or <c>large</c> (<c>--model</c>).</param>
/// <param name="Clients">Concurrent HTTP clients (<c>--clients</c>).</param>
/// <param name="Requests">Requests each client sends one after another (<c>--requests</c>).</param>
/// <param name="Batching"><c>on</c>, <c>off</c> or <c>both</c> (<c>--batching</c>).</param>
/// <param name="Folder">The checkpoint folder (<c>--folder</c>); <c>null</c> for <c>artifacts/load-test-&lt;model&gt;</c>.</param>
internal sealed record LoadTestOptions(string Model, int Clients, int Requests, string Batching, string? Folder)
{
    /// <summary>The checkpoint folder: <see cref="Folder"/>, else <c>artifacts/load-test-&lt;model&gt;</c>.</summary>
    public string CheckpointFolder => Folder ?? Path.Combine("artifacts", "load-test-" + Model);
}

/// <summary>The load test's command line (System.CommandLine), with <c>--help</c> and errors that name the option.</summary>
internal static class LoadTestCommandLine
{
    /// <summary>Exit code of a command-line error.</summary>
    public const int UsageError = 2;

    /// <summary>The line written under a command-line error.</summary>
    public const string Usage = "usage: GenSR.Serving.LoadTest [--model toy|large] [--clients n] [--requests n] [--batching on|off|both] [--folder dir]";

    /// <summary>Most concurrent clients: each holds a connection of its own.</summary>
    public const int MaxClients = 1024;

    /// <summary>Most requests per client; with <see cref="MaxClients"/> the latencies still fit one array.</summary>
    public const int MaxRequests = 1_000_000;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where help goes.</param>
    /// <param name="error">Where errors and the usage line go.</param>
    /// <param name="exitCode">When the result is <c>null</c>: 0 after help, <see cref="UsageError"/> after an error.</param>
    /// <returns>The options, or <c>null</c> when the program should end with <paramref name="exitCode"/>.</returns>
    public static LoadTestOptions? Parse(IReadOnlyList<string> args, TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var model = OneOf("--model", "toy: the serving sample's demo model (150 items, d_model 64, 1 + 1 layers), trained briefly; " +
                                     "large: an untrained model of 8.9M parameters (d_model 256, d_ff 1024, 4 + 4 layers) over a 5,000-item demo catalogue",
            "toy", "toy", "large");
        var clients = Integer("--clients", "concurrent HTTP clients", MaxClients, 32);
        var requests = Integer("--requests", "/recommend calls each client sends one after another (a history of 5 random items, k = 10)",
            MaxRequests, 2000);
        var batching = OneOf("--batching", "micro-batching on, off, or both one after the other", "both", "on", "off", "both");
        var folder = new Option<string?>("--folder")
        {
            Description = "the checkpoint folder (default artifacts/load-test-<model>); the large model is written there once and reused",
            HelpName = "dir",
        };
        folder.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && string.IsNullOrWhiteSpace(value))
                result.AddError("--folder: expected a folder path, got an empty value.");
        });
        var root = new RootCommand("A bounded load test of the serving sample: the service on 127.0.0.1 in this process, concurrent " +
                                   "HTTP clients, latency percentiles and throughput with and without micro-batching (see docs/performance.md).")
        {
            model, clients, requests, batching, folder,
        };
        root.HelpName = "GenSR.Serving.LoadTest";
        root.Options.Remove(root.Options.Single(o => o is VersionOption));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var e in result.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine(Usage);
            exitCode = UsageError;
            return null;
        }
        if (result.Action is HelpAction)
        {
            exitCode = result.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return null;
        }
        exitCode = 0;
        return new LoadTestOptions(result.GetValue(model)!, result.GetValue(clients), result.GetValue(requests), result.GetValue(batching)!,
                                   result.GetValue(folder));
    }

    private static Option<string> OneOf(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{name}: expected {string.Join(", ", values[..^1])} or {values[^1]}, got \"{value}\".");
        });
        return option;
    }

    private static Option<int> Integer(string name, string description, int max, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "n",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count != 1) return 0;
            var value = result.Tokens[0].Value;
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max) return n;
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name}: expected an integer in [1, {max}], got \"{value}\"."));
            return 0;
        },
    };
}
