using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GenSR.Analyzers;

/// <summary>
/// Fails the build where library code hands TorchSharp a native scalar that nothing keeps alive during the native call.
/// </summary>
/// <remarks>
/// TorchSharp's <c>Scalar</c> wraps a native object and has a finalizer; its methods pass only the handle to libtorch.
/// A temporary scalar (an implicit conversion from a number at the call site, or one made inside a TorchSharp member
/// such as the alpha of <c>Tensor + Tensor</c>) is unreachable once its handle is read, so a garbage collection during
/// the native call can free it while libtorch still reads it. GENSR001 reports every implicit number-to-Scalar
/// conversion; GENSR002 reports the TorchSharp members known to make such a temporary internally. Each has a safe
/// replacement in the library (a cached constant, a <c>using</c> scalar, or a helper that holds the scalar).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NativeScalarAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Implicit conversion of a number to a TorchSharp scalar.</summary>
    public static readonly DiagnosticDescriptor ImplicitScalar = new(
        id: "GENSR001",
        title: "Implicit conversion to a native TorchSharp scalar",
        messageFormat: "Implicit conversion from '{0}' to TorchSharp.Scalar: the temporary native scalar can be freed by a garbage collection during the native call; use a cached constant (NativeScalars), a 'using' scalar from ToScalar(), or a TensorScalarOps helper",
        category: "Reliability",
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>A TorchSharp member that passes a temporary native scalar internally.</summary>
    public static readonly DiagnosticDescriptor TemporaryScalarMember = new(
        id: "GENSR002",
        title: "TorchSharp member that passes a temporary native scalar",
        messageFormat: "'{0}' passes a temporary native scalar to libtorch that a garbage collection can free during the call; use {1}",
        category: "Reliability",
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    // TorchSharp members that make a native scalar inside TorchSharp and pass it on without keeping it alive, with the
    // replacement to name in the message. Keyed by "Type.Member(ParameterTypes)". Besides these, every Tensor operator
    // with a number operand (t * 0.5, 1 - t, ...) converts the number inside TorchSharp and is reported too.
    private static readonly ImmutableDictionary<string, string> TemporaryScalarMembers =
        ImmutableDictionary.CreateRange(new[]
        {
            Entry("TorchSharp.torch.Tensor.op_Addition(Tensor,Tensor)", "TensorScalarOps.Plus (alpha 1 held)"),
            Entry("TorchSharp.torch.Tensor.op_Addition(Tensor,Scalar)", "TensorScalarOps.AddScalar"),
            Entry("TorchSharp.torch.Tensor.op_Addition(Scalar,Tensor)", "TensorScalarOps.AddScalar"),
            Entry("TorchSharp.torch.Tensor.op_Subtraction(Tensor,Tensor)", "TensorScalarOps.Minus"),
            Entry("TorchSharp.torch.Tensor.op_Subtraction(Scalar,Tensor)", "TensorScalarOps.ScalarMinus"),
            Entry("TorchSharp.torch.Tensor.add(Tensor)", "TensorScalarOps.Plus (alpha 1 held)"),
            Entry("TorchSharp.torch.Tensor.add(Scalar)", "TensorScalarOps.AddScalar"),
            Entry("TorchSharp.torch.Tensor.add_(Tensor)", "TensorScalarOps.PlusInPlace (alpha 1 held)"),
            Entry("TorchSharp.torch.Tensor.add_(Scalar)", "TensorScalarOps.AddScalarInPlace"),
            Entry("TorchSharp.torch.Tensor.addcdiv(Tensor,Tensor)", "addcdiv with a held value"),
            Entry("TorchSharp.torch.Tensor.addcdiv_(Tensor,Tensor)", "addcdiv_ with a held value"),
            Entry("TorchSharp.torch.Tensor.square()", "TensorScalarOps.Squared (a product, no scalar)"),
        });

    private static readonly ImmutableHashSet<string> ArithmeticOperators = ImmutableHashSet.Create(
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_Modulus");

    private static readonly ImmutableHashSet<SpecialType> Numbers = ImmutableHashSet.Create(
        SpecialType.System_Int32, SpecialType.System_Int64, SpecialType.System_Single, SpecialType.System_Double);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(ImplicitScalar, TemporaryScalarMember);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null)
            {
                return; // the project does not use TorchSharp
            }

            start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(AnalyzeBinary, OperationKind.Binary);
            start.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (!conversion.Conversion.IsUserDefined || !conversion.Conversion.IsImplicit)
        {
            return;
        }

        var method = conversion.Conversion.MethodSymbol;
        if (method is null || !SymbolEqualityComparer.Default.Equals(method.ContainingType, scalar)
            || !SymbolEqualityComparer.Default.Equals(method.ReturnType, scalar))
        {
            return;
        }

        var from = conversion.Operand.Type?.ToDisplayString() ?? "a number";
        context.ReportDiagnostic(Diagnostic.Create(ImplicitScalar, conversion.Syntax.GetLocation(), from));
    }

    private static void AnalyzeBinary(OperationAnalysisContext context)
    {
        var binary = (IBinaryOperation)context.Operation;
        if (binary.OperatorMethod is { } method)
        {
            Report(context, method, binary.Syntax);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        Report(context, invocation.TargetMethod, invocation.Syntax);
    }

    private static void Report(OperationAnalysisContext context, IMethodSymbol method, SyntaxNode syntax)
    {
        var key = Key(method.OriginalDefinition);
        if (method.ContainingType.ToDisplayString() == "TorchSharp.torch.Tensor" && ArithmeticOperators.Contains(method.Name)
            && method.Parameters.Any(p => Numbers.Contains(p.Type.SpecialType)))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                TemporaryScalarMember, syntax.GetLocation(), method.ToDisplayString(),
                "a TensorScalarOps helper (MulScalar, DivScalar, AddScalar, ...) or a held scalar"));
        }
        else if (method.ContainingType.ToDisplayString() == "TorchSharp.torch.optim" && method.Name is "Adam" or "AdamW")
        {
            context.ReportDiagnostic(Diagnostic.Create(
                TemporaryScalarMember, syntax.GetLocation(), method.ToDisplayString(),
                "HeldScalarAdam / HeldScalarAdamW (the same update with every scalar held)"));
        }
        else if (TemporaryScalarMembers.TryGetValue(key, out var replacement))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                TemporaryScalarMember, syntax.GetLocation(), method.ToDisplayString(), replacement));
        }
    }

    // "Namespace.Type.Member(ParamType,ParamType)" with parameter types by simple name.
    private static string Key(IMethodSymbol method)
    {
        var parameters = string.Join(",", method.Parameters.Select(p => p.Type.Name));
        return $"{method.ContainingType.ToDisplayString()}.{method.Name}({parameters})";
    }

    private static KeyValuePair<string, string> Entry(string key, string replacement) => new(key, replacement);
}
