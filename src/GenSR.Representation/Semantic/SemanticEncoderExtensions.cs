using GenSR.Core;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>Encodes items (rather than raw texts) with any <see cref="ISemanticEncoder"/>.</summary>
public static class SemanticEncoderExtensions
{
    /// <summary>
    /// Encodes the text of every item, built from <paramref name="fields"/> (see <see cref="ItemTextFieldsExtensions.Compose"/>).
    /// Passing an <see cref="ItemCatalog"/> gives the item-embedding matrix whose row <c>i</c> is item id <c>i</c>.
    /// </summary>
    /// <returns>A float32 tensor <c>[items.Count, encoder.Dimension]</c> on the encoder's device.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="encoder"/> or <paramref name="items"/> is null.</exception>
    public static Tensor EncodeItems(this ISemanticEncoder encoder, IReadOnlyList<Item> items, ItemTextFields fields = ItemTextFields.Default,
                                     IProgress<SemanticEncodingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(items);
        var texts = new string[items.Count];
        for (var i = 0; i < texts.Length; i++)
            texts[i] = fields.Compose(items[i] ?? throw new ArgumentException($"Item at position {i} is null.", nameof(items)));
        return encoder.Encode(texts, progress, cancellationToken);
    }
}
