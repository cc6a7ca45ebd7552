using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Support;

/// <summary>Greedy constrained decoding done the slow, obvious way: one hypothesis per query, the best allowed token at every step, on the host.</summary>
internal static class GreedyOracle
{
    public static (int Item, float LogProb)[] Decode(ReferenceStepDecoder decoder, PrefixTrie trie)
    {
        var batch = decoder.BatchSize;
        var nodes = new int[batch];
        var sums = new float[batch];
        var last = Enumerable.Repeat(decoder.StartTokenId, batch).ToArray();
        decoder.Start(1);
        for (var step = 0; step < trie.Depth; step++)
        {
            float[] logProbs;
            using (var lastTensor = tensor(last))
            using (var output = decoder.Step(lastTensor))
                logProbs = output.data<float>().ToArray();
            for (var q = 0; q < batch; q++)
            {
                if (trie.ItemAt(nodes[q]) >= 0) continue; // finished
                var first = trie.FirstChild(nodes[q]);
                var children = trie.ChildTokens(nodes[q]);
                var best = 0;
                for (var c = 1; c < children.Length; c++)
                    if (logProbs[q * decoder.VocabularySize + children[c]] > logProbs[q * decoder.VocabularySize + children[best]]) best = c;
                sums[q] += logProbs[q * decoder.VocabularySize + children[best]];
                nodes[q] = first + best;
                last[q] = children[best];
            }
        }
        return nodes.Select((n, q) => (trie.ItemAt(n), sums[q])).ToArray();
    }
}
