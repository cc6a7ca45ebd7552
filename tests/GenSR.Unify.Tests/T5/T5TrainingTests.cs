using TorchSharp;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.T5;

/// <summary>A small random T5 learns to reverse sequences with teacher forcing, AdamW and the loss helper.</summary>
public sealed class T5TrainingTests
{
    private const int Length = 5;
    private const int FirstSymbol = 2; // 0 = pad, 1 = eos
    private const int Symbols = 20;

    [Fact]
    public void A_small_T5_learns_to_reverse_sequences()
    {
        // One intra-op thread: the model is tiny, and on a shared 2-core machine torch's thread pool costs more than it gives.
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            Train();
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static void Train()
    {
        var config = new T5Config
        {
            VocabSize = FirstSymbol + Symbols,
            DModel = 32,
            DKv = 8,
            NumHeads = 4,
            DFf = 64,
            NumLayers = 2,
            NumDecoderLayers = 2,
            DropoutRate = 0,
            FeedForwardProj = "relu",
        };
        using var model = new T5ForConditionalGeneration(config, new Generator(11));
        var random = new Random(3);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        var (testInputs, testLabels) = Batch(new Random(99), 256);
        var before = TokenAccuracy(model, testInputs, testLabels);
        model.train();
        var losses = new List<float>();
        for (var step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var (inputs, labels) = Batch(random, 32);
            var logits = model.forward(inputs, ones_like(inputs), model.ShiftRight(labels));
            var loss = T5ForConditionalGeneration.ComputeLoss(logits, labels);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        var first = losses.Take(10).Average();
        var last = losses.TakeLast(10).Average();
        var after = TokenAccuracy(model, testInputs, testLabels);
        Assert.True(first > 2.5, $"initial loss {first:f3} should be near ln({config.VocabSize}) = {Math.Log(config.VocabSize):f2}");
        Assert.True(last < 0.6 * first, $"loss should fall clearly: {first:f3} -> {last:f3}");
        // Chance is 1/20 = 5% per reversed symbol (the end-of-sequence label is left out of the measure).
        Assert.True(after > 0.25 && after > before + 0.15, $"held-out symbol accuracy {before:p0} -> {after:p0} should exceed 25% (5x chance)");
    }

    private static float TokenAccuracy(T5ForConditionalGeneration model, Tensor inputs, Tensor labels)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = model.forward(inputs, ones_like(inputs), model.ShiftRight(labels));
        var symbols = labels.narrow(1, 0, Length);
        return logits.narrow(1, 0, Length).argmax(-1).eq(symbols).to(ScalarType.Float32).mean().item<float>();
    }

    private static (Tensor Inputs, Tensor Labels) Batch(Random random, int size)
    {
        var inputs = new long[size * Length];
        var labels = new long[size * (Length + 1)];
        for (var row = 0; row < size; row++)
        {
            // Distinct symbols, so that every position is identifiable by content.
            var symbols = Enumerable.Range(FirstSymbol, Symbols).OrderBy(_ => random.Next()).Take(Length).ToArray();
            for (var i = 0; i < Length; i++)
            {
                inputs[row * Length + i] = symbols[i];
                labels[row * (Length + 1) + Length - 1 - i] = symbols[i];
            }
            labels[row * (Length + 1) + Length] = 1;
        }
        return (tensor(inputs, [size, Length]), tensor(labels, [size, Length + 1]));
    }
}
