using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Support;

/// <summary>Hides every capability of a decoder but <see cref="IStepDecoder"/> (e.g. candidate-only steps), to test the fallback paths.</summary>
public sealed class PlainStepDecoder(IStepDecoder inner) : IStepDecoder
{
    public int BatchSize => inner.BatchSize;
    public int VocabularySize => inner.VocabularySize;
    public long StartTokenId => inner.StartTokenId;
    public Device Device => inner.Device;
    public void Start(int beams) => inner.Start(beams);
    public Tensor Step(Tensor lastTokens) => inner.Step(lastTokens);
    public void Reorder(Tensor parentHypotheses) => inner.Reorder(parentHypotheses);
    public void Dispose() => inner.Dispose();
}
