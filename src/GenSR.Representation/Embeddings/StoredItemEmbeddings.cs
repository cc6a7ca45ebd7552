using GenSR.Core;

namespace GenSR.Representation;

/// <summary>What <see cref="ItemEmbeddingsFile.Load"/> returns: the vectors and, when one was saved with them, the identifier table built from them.</summary>
/// <param name="Embeddings">The item vectors, bit-identical to what was saved.</param>
/// <param name="Identifiers">The identifier table saved with the vectors, or <c>null</c>.</param>
public sealed record StoredItemEmbeddings(ItemEmbeddings Embeddings, IdentifierTable? Identifiers);
