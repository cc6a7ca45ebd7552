using GenSR.Core;
using GenSR.Decoding;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The three ways a trained <see cref="GenSRModel"/> ranks items: trie-constrained beam search over the whole catalogue
/// (generative retrieval), the sequence log-probability of given candidates' identifiers (generative scoring), and
/// P(Yes) of the pointwise prompt. Calls are serialised by a lock, so one instance may be shared by several threads.
/// </summary>
public sealed class GenSRInference : IDisposable
{
    private readonly object _gate = new();
    private readonly TrieConstraint _constraint;
    private readonly Dictionary<CatalogNormalization, CatalogScorer> _scorers = [];
    private bool _disposed;

    /// <summary>Creates the inference helper; builds the identifier trie (with eos) on the model's device.</summary>
    public GenSRInference(GenSRModel model, GenSRInputBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        Model = model;
        Builder = builder;
        Trie = PrefixTrie.FromIdentifierTable(builder.Identifiers, builder.Vocabulary.IdentifierOffset, builder.Vocabulary.EosId);
        _constraint = new TrieConstraint(Trie, model.Device);
    }

    /// <summary>The model.</summary>
    public GenSRModel Model { get; }

    /// <summary>The input builder.</summary>
    public GenSRInputBuilder Builder { get; }

    /// <summary>The identifier trie (identifier tokens followed by eos).</summary>
    public PrefixTrie Trie { get; }

    /// <summary>Generates up to <paramref name="k"/> distinct items per request with trie-constrained beam search
    /// (<paramref name="beams"/> ≥ k), best first.</summary>
    public IReadOnlyList<IReadOnlyList<DecodedSequence>> Generate(IReadOnlyList<GenSRRequest> requests, int k, int beams,
        CancellationToken cancellationToken = default) =>
        Generate(requests, k, beams, [], cancellationToken);

    /// <summary>
    /// Generates up to <paramref name="k"/> distinct items per request with beam search under the trie and
    /// <paramref name="rules"/> together (<see cref="DecodingConstraintList"/>): the beams only follow identifiers of
    /// items the rules allow, so excluded items cost no beam. Per-query rules have one entry per request.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<DecodedSequence>> Generate(IReadOnlyList<GenSRRequest> requests, int k, int beams, IReadOnlyList<IItemRule> rules,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(rules);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (beams < k) throw new ArgumentOutOfRangeException(nameof(beams), beams, $"beams must be at least k ({k}).");
        var search = new BeamSearch(new BeamSearchOptions { Beams = beams, TopK = k });
        return WithEncoding(requests, encoding =>
        {
            using var decoder = Model.Backbone.CreateStepDecoder(encoding.Hidden, encoding.AttentionMask);
            IDecodingConstraint constraint = rules.Count == 0 ? _constraint : new DecodingConstraintList(_constraint, requests.Count, rules);
            return search.Search(decoder, constraint, cancellationToken).Queries;
        });
    }

    /// <summary>
    /// Log-probability of each candidate's identifier (tokens + eos) given each request: <c>candidates[r]</c> are the items
    /// of request r; returns one array per request, aligned with its candidates.
    /// </summary>
    public float[][] ScoreGenerative(IReadOnlyList<GenSRRequest> requests, IReadOnlyList<IReadOnlyList<int>> candidates)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count != requests.Count) throw new ArgumentException($"{candidates.Count} candidate lists for {requests.Count} requests.",
            nameof(candidates));
        return WithEncoding(requests, encoding =>
        {
            var counts = candidates.Select(c => c.Count).ToArray();
            var total = counts.Sum();
            var result = counts.Select(c => new float[c]).ToArray();
            if (total == 0) return result;
            var tokens = candidates.SelectMany(c => c).Select(Builder.TargetTokens).ToArray();
            var length = tokens.Max(t => t.Length);
            var labels = new long[total * length];
            Array.Fill(labels, T5ForConditionalGeneration.IgnoreLabel);
            for (var i = 0; i < total; i++)
                for (var t = 0; t < tokens[i].Length; t++) labels[i * length + t] = tokens[i][t];
            var owner = tensor(counts.SelectMany((c, r) => Enumerable.Repeat((long)r, c)).ToArray(), dtype: ScalarType.Int64, device: Model.Device);
            var labelTensor = tensor(labels, total, length, dtype: ScalarType.Int64, device: Model.Device);
            var hidden = encoding.Hidden.index_select(0, owner);
            var mask = encoding.AttentionMask.index_select(0, owner);
            var logits = Model.Backbone.Decode(Model.Backbone.ShiftRight(labelTensor), hidden, mask);
            var logp = logits.to(ScalarType.Float32).log_softmax(-1);
            var valid = labelTensor.NeScalar(T5ForConditionalGeneration.IgnoreLabel);
            var picked = logp.gather(-1, labelTensor.ClampMinScalar(0L).unsqueeze(-1)).squeeze(-1) * valid.to(ScalarType.Float32);
            var scores = picked.sum(1).cpu().data<float>().ToArray();
            var k = 0;
            for (var r = 0; r < counts.Length; r++)
                for (var c = 0; c < counts[r]; c++) result[r][c] = scores[k++];
            return result;
        });
    }

    /// <summary>
    /// Scores every catalogue item for each request, without a beam: the exact generative log-likelihood of each item's
    /// identifier (<see cref="CatalogScorer"/>, shared prefixes decoded once) and, when the model has a dense head, the
    /// dense score. Each request is encoded once for both.
    /// </summary>
    /// <param name="requests">Generative requests.</param>
    /// <param name="generative">Compute the generative scores.</param>
    /// <param name="dense">Compute the dense scores (requires a dense head).</param>
    /// <param name="normalization">How the generative steps are normalised (<see cref="CatalogNormalization"/>).</param>
    /// <param name="cancellationToken">Checked between chunks of requests.</param>
    /// <exception cref="InvalidOperationException">Dense scores were asked of a model without a dense head.</exception>
    public CatalogScores ScoreCatalog(IReadOnlyList<GenSRRequest> requests, bool generative = true, bool dense = true,
                                          CatalogNormalization normalization = CatalogNormalization.Trie, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Any(r => r is null || r.IsPointwise)) throw new ArgumentException(
            "Catalogue scoring takes generative requests (no candidate).", nameof(requests));
        if (dense && !Model.Config.HasDenseHead) throw new InvalidOperationException("The model has no dense head (GenSRModelConfig.DenseDimension is 0).");
        var items = Model.Config.ItemCount;
        var generativeScores = generative ? new float[checked(requests.Count * items)] : null;
        var denseScores = dense ? new float[checked(requests.Count * items)] : null;
        var scorer = generative ? Scorer(normalization) : null;
        // With trie normalisation the T5 decoder projects onto each node's children only (MaxChildren output rows of d_model).
        var vocabulary = Model.Config.Backbone.VocabSize;
        var perRow = normalization == CatalogNormalization.Trie && scorer is not null
            ? Math.Min(vocabulary, scorer.MaxChildren * Model.Config.Backbone.DModel)
            : vocabulary;
        var perCall = scorer?.QueriesPerCall(perRow) ?? 256;
        perCall = Math.Min(perCall, 256);
        for (var start = 0; start < requests.Count; start += perCall)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = requests.Skip(start).Take(perCall).ToArray();
            WithEncoding(chunk, encoding =>
            {
                if (scorer is not null)
                {
                    using var decoder = Model.Backbone.CreateStepDecoder(encoding.Hidden, encoding.AttentionMask);
                    using var scores = scorer.Score(decoder, cancellationToken);
                    scores.cpu().data<float>().CopyTo(generativeScores!, checked(start * items));
                }

                if (dense)
                {
                    using var scores = Model.DenseScores(encoding);
                    scores.to(ScalarType.Float32).cpu().data<float>().CopyTo(denseScores!, checked(start * items));
                }

                return 0;
            });
        }

        return new CatalogScores(requests.Count, items, generativeScores, denseScores);
    }

    private CatalogScorer Scorer(CatalogNormalization normalization)
    {
        lock (_gate)
        {
            if (!_scorers.TryGetValue(normalization, out var scorer)) _scorers[normalization] = scorer = new CatalogScorer(Trie, normalization);
            return scorer;
        }
    }

    /// <summary>Pointwise scores: for each pointwise request (with a candidate), log P(Yes) normalised over {Yes, No}.</summary>
    public float[] ScorePointwise(IReadOnlyList<GenSRRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Any(r => !r.IsPointwise)) throw new ArgumentException("Every pointwise request needs a candidate.", nameof(requests));
        return WithEncoding(requests, encoding =>
        {
            var start = TensorScalarOps.Full([requests.Count, 1], Model.Config.Backbone.DecoderStartTokenId, ScalarType.Int64, Model.Device);
            var logits = Model.Backbone.Decode(start, encoding.Hidden, encoding.AttentionMask).select(1, 0).to(ScalarType.Float32);
            var yesNo = logits.index_select(1, tensor(new long[] { Builder.Vocabulary.YesId, Builder.Vocabulary.NoId }, device: Model.Device));
            return yesNo.log_softmax(-1).select(1, 0).cpu().data<float>().ToArray();
        });
    }

    /// <summary>Encodes <paramref name="requests"/> under the lock, in eval mode without gradients, and runs <paramref name="use"/> on the encoding; every
    /// temporary is freed afterwards.</summary>
    private T WithEncoding<T>(IReadOnlyList<GenSRRequest> requests, Func<GenSREncoding, T> use)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Model.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            using var batch = Builder.Build(requests, Model.Device, withLabels: false);
            using var encoding = Model.Encode(batch);
            return use(encoding);
        }
    }

    /// <summary>Releases the device trie.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _constraint.Dispose();
        }
    }
}
