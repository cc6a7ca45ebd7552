using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The key/value cache of incremental decoding for one batch: per decoder layer, the self-attention keys and values
/// of every position decoded so far ([N, heads, past, d_kv], N = queries × beams, growing by one position per step)
/// and the encoder–decoder keys and values ([B, heads, L, d_kv], computed once per query and shared by its beams).
/// The cache owns its tensors; they live outside any dispose scope until the cache is reset or disposed.
/// </summary>
internal sealed class T5DecoderCache : IDisposable
{
    private readonly Tensor?[] selfKeys;
    private readonly Tensor?[] selfValues;

    /// <summary>Creates a cache over precomputed encoder keys/values (taken over: the cache disposes them).</summary>
    public T5DecoderCache(Tensor[] crossKeys, Tensor[] crossValues, Tensor crossMaskBias)
    {
        CrossKeys = crossKeys;
        CrossValues = crossValues;
        CrossMaskBias = crossMaskBias;
        selfKeys = new Tensor?[crossKeys.Length];
        selfValues = new Tensor?[crossKeys.Length];
    }

    /// <summary>Encoder keys per decoder layer, [B, heads, L, d_kv].</summary>
    public Tensor[] CrossKeys { get; }

    /// <summary>Encoder values per decoder layer, [B, heads, L, d_kv].</summary>
    public Tensor[] CrossValues { get; }

    /// <summary>The additive encoder padding mask [B, 1, 1, L] (float32; 0 or the float32 minimum).</summary>
    public Tensor CrossMaskBias { get; }

    /// <summary>Positions decoded so far.</summary>
    public int PastLength { get; set; }

    /// <summary>Appends one step's <paramref name="key"/> and <paramref name="value"/> [N, heads, 1, d_kv] to layer <paramref name="layer"/> and returns the
    /// cached keys and values including them.</summary>
    public (Tensor Keys, Tensor Values) AppendSelf(int layer, Tensor key, Tensor value)
    {
        selfKeys[layer] = Append(selfKeys[layer], key);
        selfValues[layer] = Append(selfValues[layer], value);
        return (selfKeys[layer]!, selfValues[layer]!);
    }

    private static Tensor Append(Tensor? cached, Tensor step)
    {
        var grown = cached is null ? step.clone() : cat([cached, step], 2);
        cached?.Dispose();
        return grown.DetachFromDisposeScope();
    }

    /// <summary>Reorders the self-attention cache along the hypothesis axis: row i becomes old row <paramref name="parents"/>[i] (int64 [N]).</summary>
    public void Reorder(Tensor parents)
    {
        for (var i = 0; i < selfKeys.Length; i++)
        {
            selfKeys[i] = Select(selfKeys[i], parents);
            selfValues[i] = Select(selfValues[i], parents);
        }
    }

    private static Tensor? Select(Tensor? cached, Tensor parents)
    {
        if (cached is null) return null;
        var selected = cached.index_select(0, parents);
        cached.Dispose();
        return selected.DetachFromDisposeScope();
    }

    /// <summary>Empties the self-attention cache (the encoder keys and values stay).</summary>
    public void Reset()
    {
        for (var i = 0; i < selfKeys.Length; i++)
        {
            selfKeys[i]?.Dispose();
            selfValues[i]?.Dispose();
            selfKeys[i] = null;
            selfValues[i] = null;
        }
        PastLength = 0;
    }

    /// <summary>Releases every cached tensor.</summary>
    public void Dispose()
    {
        Reset();
        foreach (var t in CrossKeys) t.Dispose();
        foreach (var t in CrossValues) t.Dispose();
        CrossMaskBias.Dispose();
    }
}
