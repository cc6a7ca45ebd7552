using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Representation;

/// <summary>BERT input embeddings: word + absolute position + token type (segment 0), then LayerNorm and dropout.</summary>
internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "word_embeddings")]
    private readonly Embedding _wordEmbeddings;

    [ComponentName(Name = "position_embeddings")]
    private readonly Embedding _positionEmbeddings;

    [ComponentName(Name = "token_type_embeddings")]
    private readonly Embedding _tokenTypeEmbeddings;

    [ComponentName(Name = "LayerNorm")]
    private readonly LayerNorm _layerNorm;

    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        _wordEmbeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        _positionEmbeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        _tokenTypeEmbeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>Token ids <c>[batch, seq]</c> (int64) → embeddings <c>[batch, seq, hidden]</c>.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        var length = inputIds.shape[1];
        var positions = TensorScalarOps.Arange(length, inputIds.device).unsqueeze(0);
        var segments = zeros_like(inputIds);
        var sum = _wordEmbeddings.forward(inputIds).Plus(_positionEmbeddings.forward(positions)).Plus(_tokenTypeEmbeddings.forward(segments));
        return _dropout.forward(_layerNorm.forward(sum)).MoveToOuterDisposeScope();
    }
}
