using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GenSR.Analyzers.Tests;

public sealed class NativeScalarAnalyzerTests
{
    [Fact]
    public async Task An_implicit_number_to_scalar_conversion_is_an_error()
    {
        var diagnostics = await Analyze("""
            var t = torch.zeros(3);
            var u = t.masked_fill(t.gt(t), 0.5);
            """);

        var d = Assert.Single(diagnostics);
        Assert.Equal("GENSR001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("0.5", Text(d));
        Assert.Contains("'double'", d.GetMessage());
    }

    [Theory]
    [InlineData("var u = t + t;", "t + t")]
    [InlineData("var u = t - t;", "t - t")]
    [InlineData("var u = t * 2.0;", "t * 2.0")]
    [InlineData("var u = 1 - t;", "1 - t")]
    [InlineData("var u = t / 3L;", "t / 3L")]
    [InlineData("var u = t.add(t);", "t.add(t)")]
    [InlineData("var u = t.add_(t);", "t.add_(t)")]
    [InlineData("var u = t.square();", "t.square()")]
    [InlineData("using var o = optim.AdamW(new[] { new TorchSharp.Modules.Parameter(t) });", "optim.AdamW(new[] { new TorchSharp.Modules.Parameter(t) })")]
    [InlineData("using var o = optim.Adam(new[] { new TorchSharp.Modules.Parameter(t) }, 0.1);", "optim.Adam(new[] { new TorchSharp.Modules.Parameter(t) }, 0.1)")]
    public async Task Members_that_pass_a_temporary_scalar_inside_TorchSharp_are_errors(string line, string site)
    {
        var diagnostics = await Analyze("var t = torch.zeros(3);\n" + line);

        var d = Assert.Single(diagnostics);
        Assert.Equal("GENSR002", d.Id);
        Assert.Equal(site, Text(d));
    }

    [Fact]
    public async Task Held_and_cached_scalars_and_tensor_only_calls_are_accepted()
    {
        var diagnostics = await Analyze("""
            var t = torch.zeros(3);
            using var half = 0.5.ToScalar();
            var a = t.masked_fill(t.gt(t), half);
            var b = t.add(t, half);
            var c = t * t;
            var d = t.mul(t).div(t);
            var e = t.sub(t);
            Scalar explicitScalar = (Scalar)2.0;
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Code_without_TorchSharp_is_not_analysed()
    {
        var diagnostics = await Analyze("var x = 1 + 2.0;", withTorchSharp: false);

        Assert.Empty(diagnostics);
    }

    private static string Text(Diagnostic d) => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan);

    private static async Task<ImmutableArray<Diagnostic>> Analyze(string statements, bool withTorchSharp = true)
    {
        var usings = withTorchSharp ? "using TorchSharp;\nusing static TorchSharp.torch;\n" : "";
        var source = usings + "static class Planted { static void Run() {\n" + statements + "\n} }";
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .ToList();
        if (withTorchSharp) references.Add(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "Planted", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var compileErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(compileErrors.Count == 0, string.Join("\n", compileErrors));

        var withAnalyzer = compilation.WithAnalyzers([new NativeScalarAnalyzer()]);
        return await withAnalyzer.GetAnalyzerDiagnosticsAsync();
    }
}
