namespace GenSR.Core;

/// <summary>
/// Weights do not fit a model: every missing, unexpected, wrongly shaped, wrongly typed or non-finite tensor is listed
/// at once, and nothing was loaded. Thrown by every strict weight loader of the library (T5 and GenSR checkpoints, BERT
/// encoders).
/// </summary>
public sealed class WeightsMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="origin">Where the weights came from (a file or folder).</param>
    /// <param name="model">What they were loaded into, e.g. "the T5 configuration (d_model 512, 6 layers)".</param>
    /// <param name="problems">One line per problem.</param>
    public WeightsMismatchException(string origin, string model, IReadOnlyList<string> problems)
        : base($"{origin}: the weights do not fit {model}; {problems.Count} problem(s):{Environment.NewLine}  - " +
               string.Join(Environment.NewLine + "  - ", problems))
    {
        Origin = origin;
        Problems = problems;
    }

    /// <summary>Where the weights came from.</summary>
    public string Origin { get; }

    /// <summary>One line per problem, sorted.</summary>
    public IReadOnlyList<string> Problems { get; }
}
