using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// Exposes the backbone's shared token embedding to the semantic history encoder as a module without registering the
/// backbone a second time (the adapter holds a delegate, not a module field).
/// </summary>
internal sealed class TokenEmbeddingAdapter(Func<Tensor, Tensor> embed) : nn.Module<Tensor, Tensor>(nameof(TokenEmbeddingAdapter))
{
    public override Tensor forward(Tensor input) => embed(input);
}
