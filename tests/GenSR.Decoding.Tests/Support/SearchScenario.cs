using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Support;

/// <summary>
/// A small generative-retrieval setup: a catalogue of random identifiers, its trie, and reference decoders over a
/// vocabulary laid out like a model's (specials, a few text tokens, then the identifier tokens).
/// </summary>
public sealed record SearchScenario(
    int[] LevelSizes,
    int ItemCount,
    bool VariableLength,
    bool WithEndOfSequence,
    int Queries,
    int Beams,
    BeamScoring Scoring,
    int Seed)
{
    public const int StartToken = 0;
    public const int EndOfSequenceToken = 1;
    public const int TextTokens = 3;
    public const int TokenOffset = 2 + TextTokens;

    private IdentifierTable? _table;
    private PrefixTrie? _trie;

    public IdentifierTable Table => _table ??= MakeTable();

    public PrefixTrie Trie => _trie ??= PrefixTrie.FromIdentifierTable(Table, TokenOffset, WithEndOfSequence ? EndOfSequenceToken : null);

    public int Vocabulary => TokenOffset + LevelSizes.Sum();

    internal ReferenceDecoderOptions DecoderOptions => new()
    {
        VocabularySize = Vocabulary,
        HiddenSize = 16,
        Seed = Seed,
        LogitScale = 2f,
        QueryTableSize = 64,
        StartTokenId = StartToken,
    };

    public int[] QueryIds => Enumerable.Range(0, Queries).Select(q => (q * 7 + Seed) % 64).ToArray();

    internal ReferenceStepDecoder Decoder() => new(QueryIds, DecoderOptions);

    internal ReferenceStepDecoder Decoder(params int[] queryIds) => new(queryIds, DecoderOptions);

    /// <summary>Item <c>i</c>'s full token sequence as decoded (identifier tokens, then eos when the trie has one).</summary>
    public int[] Sequence(int item)
    {
        var tokens = Table.ToTokenIds(item, TokenOffset);
        return WithEndOfSequence ? [.. tokens, EndOfSequenceToken] : tokens;
    }

    public IReadOnlyList<IReadOnlyList<int>> AllSequences() =>
        Enumerable.Range(0, Table.ItemCount).Select(i => (IReadOnlyList<int>)Sequence(i)).ToList();

    public BeamSearchOptions Options(int? topK = null) => new() { Beams = Beams, TopK = topK, Scoring = Scoring };

    internal BeamSearchResult Search(ReferenceStepDecoder decoder, int? topK = null)
    {
        using var constraint = new TrieConstraint(Trie, decoder.Device);
        return new BeamSearch(Options(topK)).Search(decoder, constraint);
    }

    /// <summary>The exact ranking of all items for every query, by the scenario's scoring: (item, log-prob, score), best first.</summary>
    internal List<(int Item, float LogProb, float Score)>[] ExhaustiveRanking(ReferenceStepDecoder decoder)
    {
        var logProbs = ExhaustiveSequenceScorer.Score(decoder, AllSequences());
        var rankings = new List<(int, float, float)>[decoder.BatchSize];
        for (var q = 0; q < decoder.BatchSize; q++)
            rankings[q] = Enumerable.Range(0, Table.ItemCount)
                .Select(i => (i, logProbs[q, i], Scoring == BeamScoring.LengthNormalized ? logProbs[q, i] / Sequence(i).Length : logProbs[q, i]))
                .OrderByDescending(x => x.Item3)
                .ToList();
        return rankings;
    }

    public override string ToString() =>
        $"levels [{string.Join(",", LevelSizes)}], {ItemCount} items, variable {VariableLength}, eos {WithEndOfSequence}, " +
        $"{Queries} queries, {Beams} beams, {Scoring}, seed {Seed}";

    private IdentifierTable MakeTable()
    {
        var random = new Random(Seed);
        var seen = new HashSet<string>();
        var codes = new List<int[]>();
        var capacity = 1L;
        foreach (var size in LevelSizes) capacity *= size;
        var target = (int)Math.Min(ItemCount, capacity);
        for (var attempt = 0; codes.Count < target && attempt < 100 * target; attempt++)
        {
            var length = VariableLength ? random.Next(1, LevelSizes.Length + 1) : LevelSizes.Length;
            var c = new int[length];
            for (var l = 0; l < length; l++) c[l] = random.Next(LevelSizes[l]);
            if (seen.Add(string.Join(",", c))) codes.Add(c);
        }
        return new IdentifierTable(codes.ToArray(), LevelSizes);
    }
}
