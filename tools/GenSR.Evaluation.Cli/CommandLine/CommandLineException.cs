namespace GenSR.Evaluation.CommandLine;

/// <summary>A command-line option is unknown, missing its value, or has a value outside what it accepts; the message says which and what is expected.</summary>
public sealed class CommandLineException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the option.</param>
    public CommandLineException(string message) : base(message)
    {
    }
}
