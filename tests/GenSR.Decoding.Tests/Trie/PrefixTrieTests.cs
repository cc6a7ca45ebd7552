using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Trie;

public sealed class PrefixTrieTests
{
    [Fact]
    public void Small_table_compiles_to_the_expected_breadth_first_csr_arrays()
    {
        // Items: 0 = <a_1><b_0>, 1 = <a_0><b_1>, 2 = <a_1><b_1>; tokens = 10 + level offset (2 codes per level) + code.
        var table = new IdentifierTable(new[] { new[] { 1, 0 }, new[] { 0, 1 }, new[] { 1, 1 } }, new[] { 2, 2 });
        var trie = PrefixTrie.FromIdentifierTable(table, tokenOffset: 10);

        // Root, then <a_0>=10, <a_1>=11, then <b_1>=13 under <a_0>, <b_0>=12 and <b_1>=13 under <a_1>.
        Assert.Equal(new[] { -1, 10, 11, 13, 12, 13 }, trie.NodeTokens.ToArray());
        Assert.Equal(new[] { 1, 3, 4, 6, 6, 6, 6 }, trie.ChildOffsets.ToArray());
        Assert.Equal(new[] { -1, -1, -1, 1, 0, 2 }, trie.NodeItems.ToArray());
        Assert.Equal(6, trie.NodeCount);
        Assert.Equal(3, trie.ItemCount);
        Assert.Equal(2, trie.Depth);
        Assert.Equal(13, trie.MaxTokenId);
        Assert.Equal(2, trie.MaxChildrenAtDepth(0));
        Assert.Equal(2, trie.MaxChildrenAtDepth(1));
        Assert.Equal(0, trie.MaxChildrenAtDepth(2));
        Assert.Equal(4L * (7 + 6 + 6), trie.Bytes);
    }

    [Fact]
    public void End_of_sequence_token_allows_an_identifier_that_is_a_prefix_of_another()
    {
        var trie = PrefixTrie.FromSequences(new[] { new[] { 5, 6 }, new[] { 5 }, new[] { 5, 6, 7 } }, endOfSequenceTokenId: 1);

        Assert.Equal(4, trie.Depth);
        Assert.True(trie.TryGetItem(new[] { 5, 1 }, out var item));
        Assert.Equal(1, item);
        Assert.True(trie.TryGetItem(new[] { 5, 6, 1 }, out item));
        Assert.Equal(0, item);
        Assert.True(trie.TryGetItem(new[] { 5, 6, 7 }, out item)); // without the eos, as an identifier alone
        Assert.Equal(2, item);
        Assert.False(trie.Contains(new[] { 5, 6, 7, 1, 1 }));
        Assert.False(trie.Contains(new[] { 6 }));
        Assert.False(trie.Contains(Array.Empty<int>()));
        // The eos node of item 1 sorts before token 6 under node <5>.
        Assert.True(trie.TryGetChild(PrefixTrie.Root, 5, out var five));
        Assert.Equal(new[] { 1, 6 }, trie.ChildTokens(five).ToArray());
    }

    [Fact]
    public void Without_end_of_sequence_token_a_prefix_identifier_is_rejected_naming_both_items()
    {
        var e = Assert.Throws<ArgumentException>(() => PrefixTrie.FromSequences(new[] { new[] { 3, 4 }, new[] { 3, 4, 5 } }));
        Assert.Contains("item 0", e.Message);
        Assert.Contains("item 1", e.Message);
        Assert.Contains("end-of-sequence", e.Message);
    }

    [Fact]
    public void Duplicate_identifiers_are_an_error_naming_the_items()
    {
        var sequences = new[] { new[] { 3, 4 }, new[] { 3, 5 }, new[] { 3, 4 }, new[] { 6 }, new[] { 6 } };
        var e = Assert.Throws<IdentifierCollisionException>(() => PrefixTrie.FromSequences(sequences, endOfSequenceTokenId: 1));
        Assert.Equal(2, e.Groups.Count);
        Assert.Contains(e.Groups, g => g.SequenceEqual(new[] { 0, 2 }));
        Assert.Contains(e.Groups, g => g.SequenceEqual(new[] { 3, 4 }));
        Assert.Contains("items 0, 2", e.Message);
    }

    [Fact]
    public void Bad_sequences_are_rejected_with_the_item_named()
    {
        Assert.Contains("item 1", Assert.Throws<ArgumentException>(() => PrefixTrie.FromSequences(new[] { new[] { 3 }, Array.Empty<int>() })).Message);
        Assert.Contains("Item 0", Assert.Throws<ArgumentException>(() => PrefixTrie.FromSequences(new[] { new[] { 3, -2 } })).Message);
        Assert.Contains("end-of-sequence", Assert.Throws<ArgumentException>(() => PrefixTrie.FromSequences(new[] { new[] { 3, 1, 4 } }, 1)).Message);
        Assert.Throws<ArgumentException>(() => PrefixTrie.FromSequences(Array.Empty<int[]>()));
        var table = new IdentifierTable(new[] { new[] { 0 }, new[] { 1 } }, new[] { 4 });
        Assert.Throws<ArgumentException>(() => PrefixTrie.FromIdentifierTable(table, tokenOffset: 3, endOfSequenceTokenId: 5));
    }

    [Property(MaxTest = 60)]
    public Property Every_sequence_is_found_with_its_item_and_nothing_else_is() =>
        Prop.ForAll(SequenceSets().ToArbitrary(), sequences =>
        {
            var trie = PrefixTrie.FromSequences(sequences, endOfSequenceTokenId: 0);
            for (var i = 0; i < sequences.Length; i++)
            {
                Assert.True(trie.TryGetItem(sequences[i], out var item));
                Assert.Equal(i, item);
            }
            // One node per distinct prefix (eos included) plus the root: linear in the number of items.
            var prefixes = new HashSet<string>();
            foreach (var s in sequences)
                for (var p = 1; p <= s.Length + 1; p++)
                    prefixes.Add(string.Join(",", s.Take(p)) + (p > s.Length ? ",eos" : ""));
            Assert.Equal(prefixes.Count + 1, trie.NodeCount);
            Assert.Equal(sequences.Max(s => s.Length) + 1, trie.Depth);
            // Children sorted by token, offsets consistent.
            for (var n = 0; n < trie.NodeCount; n++)
            {
                var tokens = trie.ChildTokens(n).ToArray();
                Assert.Equal(tokens.OrderBy(t => t), tokens);
                Assert.Equal(tokens.Length, tokens.Distinct().Count());
            }
            // Sequences that are not identifiers are not found.
            var known = new HashSet<string>(sequences.Select(s => string.Join(",", s)));
            var random = new Random(sequences.Length);
            for (var k = 0; k < 20; k++)
            {
                var probe = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(1, 5)).ToArray();
                Assert.Equal(known.Contains(string.Join(",", probe)), trie.Contains(probe));
            }
        });

    [Theory]
    [InlineData(12, 100)]       // 12 positions x 7 bits of ranks: too wide for packed 64-bit sort keys
    [InlineData(3, 5_000_000)] // token ids too large for rank tables
    public void Long_or_wide_sequences_are_ordered_by_the_general_comparison(int length, int tokenRange)
    {
        var random = new Random(length);
        var sequences = Enumerable.Range(0, 300)
            .Select(_ => Enumerable.Range(0, random.Next(1, length + 1)).Select(_ => 2 + random.Next(tokenRange)).ToArray())
            .DistinctBy(s => string.Join(",", s))
            .ToArray();
        var trie = PrefixTrie.FromSequences(sequences, endOfSequenceTokenId: 1);
        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.True(trie.TryGetItem(sequences[i], out var item));
            Assert.Equal(i, item);
        }
        for (var n = 0; n < trie.NodeCount; n++)
        {
            var tokens = trie.ChildTokens(n).ToArray();
            Assert.Equal(tokens.Distinct().Order(), tokens);
        }
    }

    [Fact]
    public void Memory_is_linear_and_a_four_level_256_code_catalogue_stays_under_100_bytes_per_item()
    {
        var random = new Random(7);
        var seen = new HashSet<long>();
        var codes = new List<int[]>();
        while (codes.Count < 100_000)
        {
            var c = new[] { random.Next(256), random.Next(256), random.Next(256), random.Next(256) };
            if (seen.Add(((long)c[0] << 24) | ((long)c[1] << 16) | ((long)c[2] << 8) | (long)c[3])) codes.Add(c);
        }
        var table = new IdentifierTable(codes.ToArray(), new[] { 256, 256, 256, 256 });
        var trie = PrefixTrie.FromIdentifierTable(table, tokenOffset: 3, endOfSequenceTokenId: 1);
        Assert.Equal(100_000, trie.ItemCount);
        Assert.Equal(5, trie.Depth);
        Assert.InRange(trie.NodeCount, 1 + 100_000 * 2, 1 + 100_000 * 5); // at least leaf + eos per item, at most every prefix
        Assert.True(trie.BytesPerItem < 100, $"{trie.BytesPerItem:F1} bytes per item"); // 1M items -> under 100 MB
        using var onDevice = trie.ToDevice(CPU);
        Assert.True(onDevice.Bytes < 100L * trie.ItemCount);
    }

    [Fact]
    public void Device_tensors_hold_the_host_arrays_plus_a_dead_node()
    {
        var trie = PrefixTrie.FromSequences(new[] { new[] { 4, 5 }, new[] { 4, 6 }, new[] { 7 } }, endOfSequenceTokenId: 1);
        using var onDevice = trie.ToDevice(CPU);
        Assert.Equal(trie.NodeCount, onDevice.DeadNode);
        Assert.Equal(ScalarType.Int32, onDevice.ChildOffsets.dtype);
        Assert.Equal([.. trie.ChildOffsets.ToArray(), trie.NodeCount], onDevice.ChildOffsets.data<int>().ToArray());
        Assert.Equal(trie.NodeTokens.ToArray(), onDevice.NodeTokens.data<int>().ToArray());
        Assert.Equal([.. trie.NodeItems.ToArray(), -1], onDevice.NodeItems.data<int>().ToArray());
        Assert.Equal(4L * (trie.NodeCount + 2 + trie.NodeCount + trie.NodeCount + 1), onDevice.Bytes);
    }

    private static Gen<int[][]> SequenceSets() =>
        from count in Gen.Choose(1, 30)
        from raw in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(1, 4), 3).SelectMany(a => Gen.Choose(1, 3).Select(n => a.Take(n).ToArray())), count)
        select raw.DistinctBy(s => string.Join(",", s)).ToArray();
}
