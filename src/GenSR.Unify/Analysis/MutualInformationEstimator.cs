using static TorchSharp.torch;
using GenSR.Core;

namespace GenSR.Unify;

/// <summary>
/// Estimates the mutual information between what the model's encoder makes of an input and the task output, the
/// information-theoretic view of arXiv 2504.06714 (its analysis relates the quality of each task to I(input; output)).
/// Input representation X: the mean of the encoder states over the prompt (soft tokens included). Output Y: the mean
/// embedding of the target item's identifier tokens. A bilinear critic f(x, y) = (W x)·(V y) is trained with InfoNCE on
/// part of the pairs; on the held-out pairs, I(X; Y) ≥ log B − L_InfoNCE (van den Oord et al., 2018; Poole et al., ICML 2019).
/// </summary>
public static class MutualInformationEstimator
{
    /// <summary>The input representations X <c>[rows, d_model]</c> (CPU, float32) of generative requests.</summary>
    public static Tensor InputRepresentations(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> requests, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(requests);
        var parts = new List<Tensor>();
        model.eval();
        using var noGrad = no_grad();
        for (var start = 0; start < requests.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = builder.Build(requests.Skip(start).Take(batchSize).ToArray(), model.Device, withLabels: false);
            using var encoding = model.Encode(batch);
            var mask = encoding.AttentionMask.to(ScalarType.Float32).unsqueeze(-1);
            var pooled = (encoding.Hidden.to(ScalarType.Float32) * mask).sum(1) / mask.sum(1).ClampMinScalar(1L);
            parts.Add(pooled.cpu().MoveToOuterDisposeScope());
        }

        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }

    /// <summary>The output representations Y <c>[rows, d_model]</c> (CPU, float32): mean embedding of each target's identifier tokens.</summary>
    public static Tensor OutputRepresentations(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<int> targetItems)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(targetItems);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var width = builder.Identifiers.MaxLength;
        var ids = new long[targetItems.Count * width];
        var mask = new bool[targetItems.Count * width];
        Array.Fill(ids, builder.Vocabulary.PadId);
        for (var r = 0; r < targetItems.Count; r++)
        {
            var tokens = builder.Identifiers.ToTokenIds(targetItems[r], builder.Vocabulary.IdentifierOffset);
            for (var t = 0; t < tokens.Length; t++)
            {
                ids[r * width + t] = tokens[t];
                mask[r * width + t] = true;
            }
        }

        var idTensor = tensor(ids, targetItems.Count, width, dtype: ScalarType.Int64, device: model.Device);
        var maskTensor = tensor(mask, new long[] { targetItems.Count, width }, device: model.Device);
        return model.MeanEmbedding(idTensor, maskTensor).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>Estimates I(X; Y) for the generative requests (each needs <see cref="GenSRRequest.TargetItem"/>).</summary>
    public static MutualInformationEstimate Estimate(GenSRModel model, GenSRInputBuilder builder, IReadOnlyList<GenSRRequest> requests,
        MutualInformationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Any(r => r.TargetItem is null || r.IsPointwise))
            throw new ArgumentException("Every request must be generative and have a target item.", nameof(requests));
        using var x = InputRepresentations(model, builder, requests);
        using var y = OutputRepresentations(model, builder, requests.Select(r => r.TargetItem!.Value).ToArray());
        return Estimate(x, y, options);
    }

    /// <summary>Estimates I(X; Y) from paired representations <c>x [n, dx]</c> and <c>y [n, dy]</c> (row i of each is a pair).</summary>
    public static MutualInformationEstimate Estimate(Tensor x, Tensor y, MutualInformationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        options ??= new MutualInformationOptions();
        if (x.dim() != 2 || y.dim() != 2 || x.shape[0] != y.shape[0])
            throw new ArgumentException($"x and y must be [n, d] with the same n; got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}].");
        var n = (int)x.shape[0];
        var heldOut = (int)Math.Round(n * options.HeldOutFraction);
        var train = n - heldOut;
        var batch = Math.Min(options.BatchSize, Math.Min(train, heldOut));
        if (batch < 2) throw new ArgumentException($"{n} pairs are too few: both the training and held-out parts need at least 2 pairs.");
        using var scope = NewDisposeScope();
        var random = new Random((int)(options.Seed & 0x7fffffff));
        var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Select(i => (long)i).ToArray();
        var xs = Standardise(x.to(ScalarType.Float32).cpu().index_select(0, tensor(order)));
        var ys = Standardise(y.to(ScalarType.Float32).cpu().index_select(0, tensor(order)));
        using var generator = new Generator((ulong)options.Seed);
        var w = new TorchSharp.Modules.Parameter(randn(xs.shape[1], options.CriticDimension, generator: generator).DivScalar(Math.Sqrt(xs.shape[1])));
        var v = new TorchSharp.Modules.Parameter(randn(ys.shape[1], options.CriticDimension, generator: generator).DivScalar(Math.Sqrt(ys.shape[1])));
        using var optimizer = new HeldScalarAdam([w, v], options.LearningRate);
        for (var step = 0; step < options.Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var rows = tensor(Enumerable.Range(0, batch).Select(_ => (long)random.Next(train)).ToArray());
            optimizer.zero_grad();
            var loss = InfoNce(xs.index_select(0, rows), ys.index_select(0, rows), w, v);
            loss.backward();
            optimizer.step();
        }

        double total = 0;
        var batches = 0;
        using (no_grad())
        {
            for (var start = train; start + batch <= n; start += batch)
            {
                using var evalScope = NewDisposeScope();
                var rows = TensorScalarOps.Arange(start, start + batch, xs.device);
                total += InfoNce(xs.index_select(0, rows), ys.index_select(0, rows), w, v).item<float>();
                batches++;
            }
        }

        var limit = Math.Log(batch);
        return new MutualInformationEstimate(limit - total / batches, limit, train, heldOut);
    }

    private static Tensor InfoNce(Tensor x, Tensor y, Tensor w, Tensor v)
    {
        var scores = x.matmul(w).matmul(y.matmul(v).t());
        var labels = TensorScalarOps.Arange(x.shape[0], x.device);
        return nn.functional.cross_entropy(scores, labels);
    }

    private static Tensor Standardise(Tensor t) => t.Minus(t.mean([0L], keepdim: true)) / t.std(0, keepdim: true).ClampMinScalar(1e-6);
}
