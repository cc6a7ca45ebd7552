using System.Reflection;
using GenSR.Core;
using GenSR.Decoding;
using GenSR.Representation;
using GenSR.Representation.SentenceEncoders;
using GenSR.Unify;

namespace GenSR.Evaluation.Tests.Repository;

/// <summary>
/// Each package has one namespace, its own name, so that a user of the facade needs a using per package and no more.
/// </summary>
public sealed class PackageNamespaceTests
{
    public static TheoryData<string> Packages() => new()
    {
        typeof(TorchRuntime).Assembly.GetName().Name!,
        typeof(ResidualKMeansQuantizer).Assembly.GetName().Name!,
        typeof(OnnxSentenceEncoder).Assembly.GetName().Name!,
        typeof(BeamSearch).Assembly.GetName().Name!,
        typeof(GenSRRecommender).Assembly.GetName().Name!,
        typeof(BenchmarkRunner).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void Every_public_type_of_a_package_is_in_the_namespace_named_after_it(string package)
    {
        var assembly = Assembly.Load(package);
        var elsewhere = assembly.GetExportedTypes()
            .Where(t => t.Namespace != package)
            .Select(t => t.FullName)
            .ToList();
        Assert.True(elsewhere.Count == 0, $"{package}: public types outside namespace {package}: {string.Join(", ", elsewhere)}");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void A_package_exports_types(string package) => Assert.NotEmpty(Assembly.Load(package).GetExportedTypes());
}
