using static TorchSharp.torch;

namespace GenSR.Unify;

/// <summary>
/// The arithmetic dtype shared by every module of one model: null means "the dtype of the weights"; bfloat16 over
/// float32 weights is the autocast-equivalent mode (see <see cref="T5Precision.BFloat16Autocast"/>).
/// </summary>
internal sealed class T5ComputeContext
{
    /// <summary>The dtype matrix products run in, or null for the weights' own dtype.</summary>
    public ScalarType? ComputeDType { get; set; }

    /// <summary>The dtype a matrix product over a weight of dtype <paramref name="weightDType"/> runs in.</summary>
    public ScalarType For(ScalarType weightDType) => ComputeDType ?? weightDType;
}
