using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Runs the BenchmarkDotNet suites of this assembly; pass --filter '*Name*' to pick some
// (e.g. `dotnet run -c Release --project benchmarks/GenSR.Benchmarks -- --filter '*Metrics*'`).
//
// --inProcess (-i) is handled here rather than by BenchmarkDotNet's parser: there it only adds one more in-process job
// next to the suites' own [SimpleJob]s, which would still be built and launched out of process. Here it becomes a
// job mutator, so every job of every suite runs in this process: the mode a machine without a .NET SDK needs
// (the GPU machine, see ../shared/gpu/README.md).
var inProcess = args.Any(a => a is "--inProcess" or "-i" or "--inprocess");
var config = DefaultConfig.Instance;
if (inProcess)
    config = config.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
    .Run(args.Where(a => a is not ("--inProcess" or "-i" or "--inprocess")).ToArray(), config);
