using static TorchSharp.torch;

namespace GenSR.Core;

/// <summary>
/// Rendered prompts collated into tensors for one forward pass. Owns its tensors: dispose the batch (or let an enclosing
/// dispose scope do it).
/// </summary>
public sealed class PromptBatch : TensorBundle
{
    private PromptBatch(Tensor inputIds, Tensor attentionMask, Tensor softTokenPositions, SoftTokenKind[] softTokenKinds)
    {
        InputIds = Own(inputIds);
        AttentionMask = Own(attentionMask);
        SoftTokenPositions = Own(softTokenPositions);
        SoftTokenKinds = softTokenKinds;
    }

    /// <summary>Token ids [batch, length], int64, right-padded with the vocabulary's pad id.</summary>
    public Tensor InputIds { get; }

    /// <summary>Attention mask [batch, length], int64: 1 for tokens, 0 for padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>Positions of the soft tokens [batch, slots], int64, in the order of <see cref="SoftTokenKinds"/>.</summary>
    public Tensor SoftTokenPositions { get; }

    /// <summary>What each soft-token slot stands for [slots] (the same for every prompt of the batch).</summary>
    public IReadOnlyList<SoftTokenKind> SoftTokenKinds { get; }

    /// <summary>Number of prompts.</summary>
    public int BatchSize => (int)InputIds.shape[0];

    /// <summary>Padded length.</summary>
    public int Length => (int)InputIds.shape[1];

    /// <summary>Collates prompts that share their soft-token slots (e.g. search and recommendation prompts, or pointwise prompts).</summary>
    /// <param name="prompts">Prompts rendered with <paramref name="vocabulary"/>; at least one.</param>
    /// <param name="vocabulary">Supplies the pad id.</param>
    /// <param name="device">Where the tensors go; the CPU when <c>null</c>.</param>
    /// <param name="minLength">Pad to at least this length (e.g. for fixed-shape kernels); 0 = the longest prompt's length.</param>
    /// <exception cref="ArgumentException">No prompts, or prompts whose soft-token slots differ (the message names the first mismatch).</exception>
    public static PromptBatch Collate(IReadOnlyList<RenderedPrompt> prompts, ModelVocabulary vocabulary, Device? device = null, int minLength = 0)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (prompts.Count == 0) throw new ArgumentException("At least one prompt is required.", nameof(prompts));
        ArgumentOutOfRangeException.ThrowIfNegative(minLength);
        var kinds = prompts[0].SoftTokenKinds;
        var length = minLength;
        for (var b = 0; b < prompts.Count; b++)
        {
            var p = prompts[b] ?? throw new ArgumentException($"Prompt {b} is null.", nameof(prompts));
            if (!p.SoftTokenKinds.AsSpan().SequenceEqual(kinds))
                throw new ArgumentException(
                    $"Prompt {b} (\"{p.TemplateName}\") has soft tokens [{string.Join(", ", p.SoftTokenKinds)}] but prompt 0 (\"{prompts[0].TemplateName}\") " +
                    $"has [{string.Join(", ", kinds)}]; a batch needs the same soft-token slots.", nameof(prompts));
            length = Math.Max(length, p.Length);
        }

        var batch = prompts.Count;
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var positions = new long[batch * kinds.Length];
        Array.Fill(ids, vocabulary.PadId);
        for (var b = 0; b < batch; b++)
        {
            var p = prompts[b];
            var row = b * length;
            for (var t = 0; t < p.Length; t++) ids[row + t] = p.InputIds[t];
            mask.AsSpan(row, p.Length).Fill(1);
            for (var s = 0; s < kinds.Length; s++) positions[b * kinds.Length + s] = p.SoftTokenPositions[s];
        }

        device ??= CPU;
        Tensor? inputIds = null, attentionMask = null, softPositions = null;
        try
        {
            inputIds = tensor(ids, batch, length, dtype: ScalarType.Int64, device: device);
            attentionMask = tensor(mask, batch, length, dtype: ScalarType.Int64, device: device);
            softPositions = tensor(positions, batch, kinds.Length, dtype: ScalarType.Int64, device: device);
            return new PromptBatch(inputIds, attentionMask, softPositions, kinds.ToArray());
        }
        catch
        {
            inputIds?.Dispose();
            attentionMask?.Dispose();
            softPositions?.Dispose();
            throw;
        }
    }
}
