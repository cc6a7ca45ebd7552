using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>The tiny untrained model the serving, hosting, soak and dense-head option tests share: they check mechanics, not quality.</summary>
internal static class TinyModel
{
    /// <summary>Prepares it on one torch thread, in eval mode: d_model 32, one layer, 4 prompt items and title tokens, a short
    /// LightGCN run, and a dense head of <paramref name="denseDimension"/> (0: none); <paramref name="configure"/> adds the
    /// options a test is about.</summary>
    public static GenSRPrepared Prepare(DatasetSplit split, int denseDimension = 0, Func<GenSRPipelineOptions, GenSRPipelineOptions>? configure = null)
    {
        TorchRuntime.SetThreads(1);
        var options = new GenSRPipelineOptions
        {
            Device = TorchSharp.torch.CPU, ModelDimension = 32, Layers = 1, PromptHistoryItems = 4, TitleTokens = 4, DenseDimension = denseDimension,
            CollaborativeTraining = new() { MaxEpochs = 5, EvaluateEvery = 5, Patience = 1 },
        };
        var prepared = GenSRPipeline.Prepare(split, configure is null ? options : configure(options));
        prepared.Model.eval();
        return prepared;
    }
}
