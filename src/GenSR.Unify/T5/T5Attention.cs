using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// T5 multi-head attention: bias-free projections <c>q</c>, <c>k</c>, <c>v</c>, <c>o</c>, no <c>1/sqrt(d_kv)</c>
/// scaling of the scores (T5 folds it into the initialisation of <c>q</c>), an additive bias (relative positions and
/// masks) added to the scores in float32, softmax in float32, and dropout on the attention weights. The first layer of
/// each stack also owns <c>relative_attention_bias</c> ([num_buckets, num_heads]) and computes the position bias that
/// every layer of its stack reuses.
/// </summary>
internal sealed class T5Attention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    // Field names are the HF parameter names (SelfAttention.q.weight, ...).
    private readonly T5Linear q;
    private readonly T5Linear k;
    private readonly T5Linear v;
    private readonly T5Linear o;
    private readonly Embedding? relative_attention_bias;

    private readonly int heads;
    private readonly int dKv;
    private readonly double dropoutRate;
    private readonly bool bidirectional;
    private readonly int numBuckets;
    private readonly int maxDistance;

    /// <summary>Creates an attention sublayer; <paramref name="hasRelativeBias"/> only for the first layer of a stack.</summary>
    public T5Attention(T5Config config, bool hasRelativeBias, bool bidirectional, T5ComputeContext context) : base(nameof(T5Attention))
    {
        q = new T5Linear(config.DModel, config.InnerDim, context);
        k = new T5Linear(config.DModel, config.InnerDim, context);
        v = new T5Linear(config.DModel, config.InnerDim, context);
        o = new T5Linear(config.InnerDim, config.DModel, context);
        if (hasRelativeBias) relative_attention_bias = nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads);
        heads = config.NumHeads;
        dKv = config.DKv;
        dropoutRate = config.DropoutRate;
        this.bidirectional = bidirectional;
        numBuckets = config.RelativeAttentionNumBuckets;
        maxDistance = config.RelativeAttentionMaxDistance;
        RegisterComponents();
    }

    /// <summary>The query projection.</summary>
    public T5Linear Query => q;

    /// <summary>The key projection.</summary>
    public T5Linear Key => k;

    /// <summary>The value projection.</summary>
    public T5Linear Value => v;

    /// <summary>The output projection.</summary>
    public T5Linear Output => o;

    /// <summary>The relative position bias table [num_buckets, num_heads], or null in layers after the first.</summary>
    public Embedding? RelativeAttentionBias => relative_attention_bias;

    /// <summary>Attends from <paramref name="hidden"/> [B, q, d_model] over <paramref name="keyValueStates"/> [B, k, d_model] with an additive float32
    /// <paramref name="bias"/> broadcastable to [B, heads, q, k]; returns [B, q, d_model].</summary>
    public override Tensor forward(Tensor hidden, Tensor keyValueStates, Tensor bias)
    {
        using var scope = NewDisposeScope();
        var query = SplitHeads(q.forward(hidden));
        var key = SplitHeads(k.forward(keyValueStates));
        var value = SplitHeads(v.forward(keyValueStates));
        return Attend(query, key, value, bias).MoveToOuterDisposeScope();
    }

    /// <summary>[B, t, heads·d_kv] → [B, heads, t, d_kv].</summary>
    public Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], heads, dKv).transpose(1, 2);

    /// <summary>
    /// The attention proper over projected heads: <paramref name="query"/> [B, heads, q, d_kv], <paramref name="key"/> and
    /// <paramref name="value"/> [B, heads, k, d_kv], <paramref name="bias"/> broadcastable to [B, heads, q, k] (float32);
    /// returns the output projection [B, q, d_model].
    /// </summary>
    public Tensor Attend(Tensor query, Tensor key, Tensor value, Tensor bias)
    {
        using var scope = NewDisposeScope();
        var scores = matmul(query, key.transpose(-1, -2)).to(ScalarType.Float32).Plus(bias);
        var weights = scores.softmax(-1);
        if (training && dropoutRate > 0) weights = nn.functional.dropout(weights, dropoutRate, training: true);
        var context = matmul(weights.to(value.dtype), value);
        var merged = context.transpose(1, 2).reshape(context.shape[0], context.shape[2], heads * dKv);
        return o.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The learned position bias [1, heads, queryLength, keyLength] (float32) for queries at positions
    /// <c>queryOffset ..</c> over keys at <c>0 ..</c>; only the first layer of a stack has the table.
    /// </summary>
    public Tensor ComputeBias(long queryLength, long keyLength, long queryOffset)
    {
        if (relative_attention_bias is null)
            throw new InvalidOperationException("Only the first layer of a T5 stack owns relative_attention_bias.");
        using var scope = NewDisposeScope();
        var buckets =
            T5RelativePosition.Buckets(queryLength, keyLength, queryOffset, bidirectional, numBuckets, maxDistance, relative_attention_bias.weight!.device);
        var values = relative_attention_bias.forward(buckets); // [q, k, heads]
        return values.permute(2, 0, 1).unsqueeze(0).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
