using GenSR.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenSR.Representation;

/// <summary>
/// The RQ-VAE of TIGER (Rajput et al., NeurIPS 2023): MLP encoder → residual vector quantisation → MLP decoder.
/// <c>forward(x [batch, input])</c> → reconstruction <c>[batch, input]</c>, codes int64 <c>[batch, levels]</c>, quantisation loss.
/// Parameter names: <c>encoder.{i}.weight</c>, <c>quantizer.codebooks.{l}.weight</c>, <c>decoder.{i}.weight</c>.
/// </summary>
internal sealed class RqVae : nn.Module<Tensor, (Tensor Reconstruction, Tensor Codes, Tensor QuantizationLoss)>
{
    private readonly Sequential encoder;
    private readonly ResidualVectorQuantizer quantizer;
    private readonly Sequential decoder;

    public RqVae(int inputDim, RqVaeOptions options, int codebookSize, Generator generator)
        : base(nameof(RqVae))
    {
        var widths = new[] { inputDim }.Concat(options.HiddenSizes).Append(options.LatentDim).ToArray();
        encoder = Mlp(widths);
        decoder = Mlp(Enumerable.Reverse(widths).ToArray());
        quantizer = new ResidualVectorQuantizer(options.Levels, codebookSize, options.LatentDim, options.CommitmentWeight);
        RegisterComponents();
        InitializeWeights(generator);
    }

    public ResidualVectorQuantizer Quantizer => quantizer;

    public Tensor Encode(Tensor x) => encoder.forward(x);

    public Tensor Decode(Tensor z) => decoder.forward(z);

    public override (Tensor Reconstruction, Tensor Codes, Tensor QuantizationLoss) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var z = encoder.forward(x);
        var (quantized, codes, loss) = quantizer.forward(z);
        var reconstruction = decoder.forward(quantized);
        return (reconstruction.MoveToOuterDisposeScope(), codes.MoveToOuterDisposeScope(), loss.MoveToOuterDisposeScope());
    }

    private static Sequential Mlp(int[] widths)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i + 1 < widths.Length; i++)
        {
            layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Linear(widths[i], widths[i + 1])));
            if (i + 2 < widths.Length) layers.Add((layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.ReLU()));
        }
        return nn.Sequential(layers);
    }

    /// <summary>
    /// PyTorch's default Linear initialisation (weights and biases U(±1/√fan_in)) and N(0, 1) codebooks, drawn from a seeded
    /// generator so runs are reproducible (values are drawn directly because <c>nn.init</c> ignores the generator here).
    /// </summary>
    private void InitializeWeights(Generator generator)
    {
        using var noGrad = no_grad();
        var parameters = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in parameters)
        {
            using var scope = NewDisposeScope();
            Tensor values;
            if (name.Contains("codebooks", StringComparison.Ordinal))
            {
                values = randn(parameter.shape, ScalarType.Float32, CPU, generator: generator);
            }
            else
            {
                var weight = name.EndsWith(".bias", StringComparison.Ordinal) ? parameters[name[..^".bias".Length] + ".weight"] : parameter;
                var bound = 1.0 / Math.Sqrt(weight.shape[1]);
                values = rand(parameter.shape, ScalarType.Float32, CPU, generator: generator).MulScalar(2 * bound).AddScalar(-bound);
            }
            parameter.copy_(values);
        }
    }
}
