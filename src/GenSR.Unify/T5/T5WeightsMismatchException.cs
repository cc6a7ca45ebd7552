namespace GenSR.Unify;

/// <summary>Weights do not fit a T5 configuration: every missing, unexpected, wrongly shaped or non-float tensor is listed.</summary>
public sealed class T5WeightsMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="origin">Where the weights came from (a file path).</param>
    /// <param name="problems">One line per mismatch.</param>
    public T5WeightsMismatchException(string origin, IReadOnlyList<string> problems)
        : base($"{origin}: {problems.Count} tensor(s) do not fit the T5 configuration:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Origin = origin;
        Problems = problems;
    }

    /// <summary>Where the weights came from.</summary>
    public string Origin { get; }

    /// <summary>One line per mismatch, sorted.</summary>
    public IReadOnlyList<string> Problems { get; }
}
