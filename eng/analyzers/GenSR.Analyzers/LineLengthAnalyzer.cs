using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GenSR.Analyzers;

/// <summary>
/// Fails the build on a source line longer than the <c>.editorconfig</c>'s <c>max_line_length</c>, so the limit the
/// repository states is the limit its code keeps.
/// </summary>
/// <remarks>
/// The limit is the <c>max_line_length</c> that applies to the file (160 where none is set or the value is not a
/// positive number; <c>off</c> turns the check off). A line's length is its number of characters without the line
/// break, as the compiler counts them: a tab is one character. GENSR003 marks the part of each longer line past the
/// limit. Generated code is not checked.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LineLengthAnalyzer : DiagnosticAnalyzer
{
    /// <summary>A line longer than the configured <c>max_line_length</c>.</summary>
    public static readonly DiagnosticDescriptor LineTooLong = new(
        id: "GENSR003",
        title: "Line longer than max_line_length",
        messageFormat: "This line is {0} characters long, over the limit of {1} (max_line_length in .editorconfig); wrap it",
        category: "Style",
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    // The limit where the .editorconfig sets none.
    private const int DefaultMaxLineLength = 160;

    private const string MaxLineLengthKey = "max_line_length";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(LineTooLong);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxTreeAction(AnalyzeTree);
    }

    private static void AnalyzeTree(SyntaxTreeAnalysisContext context)
    {
        var limit = MaxLineLength(context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Tree));
        if (limit is null)
        {
            return; // max_line_length = off
        }

        var text = context.Tree.GetText(context.CancellationToken);
        foreach (var line in text.Lines)
        {
            var length = line.Span.Length;
            if (length <= limit.Value)
            {
                continue;
            }

            var excess = TextSpan.FromBounds(line.Start + limit.Value, line.End);
            context.ReportDiagnostic(Diagnostic.Create(
                LineTooLong, Location.Create(context.Tree, excess),
                length.ToString(CultureInfo.InvariantCulture), limit.Value.ToString(CultureInfo.InvariantCulture)));
        }
    }

    // The file's limit: max_line_length when it is a positive number, none when it is "off", else the default.
    private static int? MaxLineLength(AnalyzerConfigOptions options)
    {
        if (!options.TryGetValue(MaxLineLengthKey, out var value))
        {
            return DefaultMaxLineLength;
        }

        value = value.Trim();
        if (string.Equals(value, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : DefaultMaxLineLength;
    }
}
