using GenSR.Core;
namespace GenSR.Representation;

/// <summary>How external ("bring your own") item vectors are matched against the catalogue.</summary>
public sealed record ExternalEmbeddingOptions
{
    private readonly IdentifierSource _source = IdentifierSource.Collaborative;
    private readonly string _label = "external";
    private readonly int? _dimension;
    private readonly MissingItemPolicy _missingItems = MissingItemPolicy.Reject;
    private readonly int _reportedKeyLimit = 10;

    /// <summary>Which view the vectors stand for (default <see cref="IdentifierSource.Collaborative"/>, e.g. a two-tower model's item tower).</summary>
    public IdentifierSource Source
    {
        get => _source;
        init => _source = OptionGuard.Defined(value, nameof(Source), nameof(ExternalEmbeddingOptions));
    }

    /// <summary>Label for reports and manifests (default <c>external</c>; not empty).</summary>
    public string Label
    {
        get => _label;
        init => _label = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Label must not be empty.", nameof(Label));
    }

    /// <summary>The expected vector length; when <c>null</c> (default), the first vector's length is expected of all.</summary>
    public int? Dimension
    {
        get => _dimension;
        init => _dimension = OptionGuard.AtLeast(value, 1, nameof(Dimension), nameof(ExternalEmbeddingOptions));
    }

    /// <summary>What to do with catalogue items without a vector (default <see cref="MissingItemPolicy.Reject"/>).</summary>
    public MissingItemPolicy MissingItems
    {
        get => _missingItems;
        init => _missingItems = OptionGuard.Defined(value, nameof(MissingItems), nameof(ExternalEmbeddingOptions));
    }

    /// <summary>Whether vectors for keys that are not in the catalogue make the import fail (default <c>false</c>: they are ignored and reported).</summary>
    public bool RejectUnknownKeys { get; init; }

    /// <summary>How many missing or unknown keys reports and messages name (default 10, at least 1).</summary>
    public int ReportedKeyLimit
    {
        get => _reportedKeyLimit;
        init => _reportedKeyLimit = OptionGuard.AtLeast(value, 1, nameof(ReportedKeyLimit), nameof(ExternalEmbeddingOptions));
    }
}
