using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// Residual vector quantisation of latent vectors <c>[batch, latent]</c> with one codebook per level
/// (<c>codebooks.{l}.weight</c>, <c>[codes, latent]</c>). Per level: nearest code of the residual, loss
/// <c>‖sg(r) − q‖² + β‖r − sg(q)‖²</c>, next residual <c>r − sg(q)</c>. The output is the straight-through estimate
/// <c>z + sg(Σq − z)</c> (van den Oord et al., NeurIPS 2017; TIGER, Rajput et al., NeurIPS 2023).
/// </summary>
internal sealed class ResidualVectorQuantizer : nn.Module<Tensor, (Tensor Quantized, Tensor Codes, Tensor Loss)>
{
    private readonly ModuleList<Embedding> codebooks;
    private readonly double _beta;

    public ResidualVectorQuantizer(int levels, int codebookSize, int latentDim, double beta)
        : base(nameof(ResidualVectorQuantizer))
    {
        codebooks = new ModuleList<Embedding>(Enumerable.Range(0, levels).Select(_ => nn.Embedding(codebookSize, latentDim)).ToArray());
        _beta = beta;
        CodebookSize = codebookSize;
        RegisterComponents();
    }

    public int Levels => codebooks.Count;

    public int CodebookSize { get; }

    /// <summary>The weight <c>[codes, latent]</c> of level <paramref name="level"/>.</summary>
    public Tensor Codebook(int level) => codebooks[level].weight!;

    /// <summary>z <c>[batch, latent]</c> → straight-through quantised z <c>[batch, latent]</c>, codes int64 <c>[batch, levels]</c>,
    /// summed loss (scalar).</summary>
    public override (Tensor Quantized, Tensor Codes, Tensor Loss) forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var residual = z;
        var quantized = zeros_like(z);
        var loss = zeros(1, z.dtype, z.device).squeeze();
        var codes = new List<Tensor>();
        for (var l = 0; l < codebooks.Count; l++)
        {
            var weight = codebooks[l].weight!;
            var code = Nearest(residual.detach(), weight);
            var q = weight.index_select(0, code);
            loss = loss.Plus(nn.functional.mse_loss(q, residual.detach())).Plus(nn.functional.mse_loss(residual, q.detach()).MulScalar(_beta));
            quantized = quantized.Plus(q);
            residual = residual.Minus(q.detach());
            codes.Add(code);
        }
        var straightThrough = z.Plus(quantized.Minus(z).detach());
        return (straightThrough.MoveToOuterDisposeScope(), stack(codes, 1).MoveToOuterDisposeScope(), loss.MoveToOuterDisposeScope());
    }

    /// <summary>Without gradients: codes int64 <c>[batch, levels]</c>, the residual entering each level (list of <c>[batch, latent]</c>) and Σq.</summary>
    public (Tensor Codes, List<Tensor> LevelInputs, Tensor Quantized) Encode(Tensor z)
    {
        using var noGrad = no_grad();
        var residual = z.detach();
        var quantized = zeros_like(residual);
        var inputs = new List<Tensor>();
        var codes = new List<Tensor>();
        for (var l = 0; l < codebooks.Count; l++)
        {
            var weight = codebooks[l].weight!;
            inputs.Add(residual);
            var code = Nearest(residual, weight);
            var q = weight.index_select(0, code);
            quantized = quantized.Plus(q);
            residual = residual.Minus(q);
            codes.Add(code);
        }
        return (stack(codes, 1), inputs, quantized);
    }

    /// <summary>Initialises every level's codebook by k-means on the residuals of <paramref name="z"/> <c>[rows ≥ codes, latent]</c>.</summary>
    public void InitializeByKMeans(Tensor z, Generator generator, int iterations, CancellationToken cancellationToken)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var residual = z.detach();
        for (var l = 0; l < codebooks.Count; l++)
        {
            var (centroids, assignments, _) = KMeans.Fit(residual, CodebookSize, iterations, 1e-4, generator, cancellationToken);
            codebooks[l].weight!.copy_(centroids);
            residual = residual.Minus(centroids.index_select(0, assignments));
        }
    }

    /// <summary>
    /// Replaces the codes marked dead (<paramref name="dead"/> bool <c>[levels, codes]</c>) by residuals of <paramref name="z"/>
    /// drawn at random, level by level (so later levels see the re-seeded earlier levels). Returns how many codes were re-seeded.
    /// </summary>
    public int ReseedDeadCodes(Tensor z, bool[][] dead, Generator generator)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var residual = z.detach();
        var total = 0;
        for (var l = 0; l < codebooks.Count; l++)
        {
            var weight = codebooks[l].weight!;
            var ids = Enumerable.Range(0, CodebookSize).Where(c => dead[l][c]).Select(c => (long)c).ToArray();
            if (ids.Length > 0)
            {
                var rows = randint(0, residual.shape[0], new long[] { ids.Length }, ScalarType.Int64, residual.device, generator: generator);
                weight.index_copy_(0, tensor(ids).to(weight.device), residual.index_select(0, rows));
                total += ids.Length;
            }
            residual = residual.Minus(weight.index_select(0, Nearest(residual, weight)));
        }
        return total;
    }

    private static Tensor Nearest(Tensor residual, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var distances = residual.Squared().sum(1, keepdim: true).Minus(residual.mm(weight.t()).MulScalar(2L)).Plus(weight.Squared().sum(1).unsqueeze(0));
        return distances.argmin(1).MoveToOuterDisposeScope();
    }
}
