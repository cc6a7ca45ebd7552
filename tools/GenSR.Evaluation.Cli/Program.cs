using GenSR.Evaluation.CommandLine;

// The evaluation console: see --help (EvaluationCommandLine) and docs/evaluation.md.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the run between batches; a second one ends the process.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return EvaluationCommand.Run(args, Console.Out, Console.Error, cancellation.Token);
