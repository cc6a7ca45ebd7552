namespace GenSR.Representation;

/// <summary>Progress of <see cref="ISemanticEncoder.Encode"/>: how many of the texts are encoded.</summary>
/// <param name="Encoded">Texts encoded so far.</param>
/// <param name="Total">Texts in the request.</param>
public readonly record struct SemanticEncodingProgress(int Encoded, int Total);
