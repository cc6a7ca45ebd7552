using GenSR.Core;
using GenSR.Decoding;

namespace GenSR.Benchmarks;

/// <summary>
/// The catalogue and vocabulary the decoding benchmarks share: random distinct 4-level × 256-code identifiers, and a
/// model vocabulary of 3 special tokens (0 pad/start, 1 eos, 2 unk), 4,096 text tokens, then the 1,024 identifier tokens
/// (4 × 256, the identifier layout of TIGER-style generative retrieval).
/// </summary>
internal static class DecodingCatalog
{
    public const int Levels = 4;
    public const int CodesPerLevel = 256;
    public const int SpecialTokens = 3;
    public const int TextTokens = 4096;
    public const int EndOfSequenceToken = 1;
    public const int TokenOffset = SpecialTokens + TextTokens;
    public const int VocabularySize = TokenOffset + Levels * CodesPerLevel;

    /// <summary>A seeded table of <paramref name="items"/> distinct random identifiers.</summary>
    public static IdentifierTable RandomTable(int items, int seed = 17)
    {
        var random = new Random(seed);
        var seen = new HashSet<uint>(items);
        var codes = new int[items][];
        for (var i = 0; i < items;)
        {
            var c = new int[Levels];
            uint key = 0;
            for (var l = 0; l < Levels; l++)
            {
                c[l] = random.Next(CodesPerLevel);
                key = (key << 8) | (uint)c[l];
            }
            if (seen.Add(key)) codes[i++] = c;
        }
        return new IdentifierTable(codes, Enumerable.Repeat(CodesPerLevel, Levels).ToArray());
    }

    /// <summary>The trie of <paramref name="table"/>, every identifier followed by eos.</summary>
    public static PrefixTrie Trie(IdentifierTable table) => PrefixTrie.FromIdentifierTable(table, TokenOffset, EndOfSequenceToken);
}
