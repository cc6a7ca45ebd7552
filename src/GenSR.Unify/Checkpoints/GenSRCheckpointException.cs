namespace GenSR.Unify;

/// <summary>A checkpoint folder could not be loaded: the manifest is malformed or the weights do not match the model. Lists every problem found.</summary>
public sealed class GenSRCheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="folder"/> with the problems found.</summary>
    public GenSRCheckpointException(string folder, IReadOnlyList<string> problems)
        : base($"Checkpoint \"{folder}\" does not match the model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):{Environment.NewLine}  " +
               string.Join(Environment.NewLine + "  ", problems))
    {
        Folder = folder;
        Problems = problems;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>Every mismatch found (missing, unexpected, wrong shape or dtype).</summary>
    public IReadOnlyList<string> Problems { get; }
}
