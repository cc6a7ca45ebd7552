using BenchmarkDotNet.Running;

// Runs the BenchmarkDotNet suites of this assembly; pass --filter '*Name*' to pick some
// (e.g. `dotnet run -c Release --project benchmarks/GenSR.Benchmarks -- --filter '*Metrics*'`).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
