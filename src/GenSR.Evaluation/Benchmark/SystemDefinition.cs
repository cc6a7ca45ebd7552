
namespace GenSR.Evaluation;

/// <summary>A system to compare: a command-line key and a factory that makes a fresh, untrained instance per seed.</summary>
/// <param name="Key">The key used on the command line (<c>--systems</c>), e.g. <c>sasrec</c>; lower case, no spaces.</param>
/// <param name="Description">One line for the usage text.</param>
/// <param name="Create">Makes a fresh instance.</param>
public sealed record SystemDefinition(string Key, string Description, Func<IEvaluatedSystem> Create);
