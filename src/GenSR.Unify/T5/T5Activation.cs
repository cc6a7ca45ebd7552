using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>The activation of the feed-forward sublayer, from <see cref="T5Config.FeedForwardProj"/>.</summary>
internal static class T5Activation
{
    /// <summary>Applies the activation named by a <c>feed_forward_proj</c> value.</summary>
    /// <remarks><c>gated-gelu</c> uses the tanh approximation of GELU (HF <c>gelu_new</c>); plain <c>gelu</c> is exact, as in HF.</remarks>
    public static Tensor Apply(string feedForwardProj, Tensor x) => feedForwardProj switch
    {
        "relu" or "gated-relu" => nn.functional.relu(x),
        "gated-gelu" => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "gelu" => nn.functional.gelu(x),
        "silu" or "gated-silu" => nn.functional.silu(x),
        _ => throw new ArgumentException($"Unsupported feed_forward_proj \"{feedForwardProj}\".", nameof(feedForwardProj)),
    };
}
