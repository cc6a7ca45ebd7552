using static TorchSharp.torch;

namespace GenSR.Decoding.Tests.Support;

/// <summary>Wraps a decoder and cancels a token source after a given number of steps.</summary>
public sealed class CancellingDecoder(IStepDecoder inner, CancellationTokenSource source, int cancelAfterSteps) : IStepDecoder
{
    private int _steps;

    public int BatchSize => inner.BatchSize;
    public int VocabularySize => inner.VocabularySize;
    public long StartTokenId => inner.StartTokenId;
    public Device Device => inner.Device;
    public int Steps => _steps;

    public void Start(int beams) => inner.Start(beams);

    public Tensor Step(Tensor lastTokens)
    {
        if (++_steps >= cancelAfterSteps) source.Cancel();
        return inner.Step(lastTokens);
    }

    public void Reorder(Tensor parentHypotheses) => inner.Reorder(parentHypotheses);

    public void Dispose() => inner.Dispose();
}
