// One test at a time. TorchSharp turns numbers into finalizable native scalars that some of its own calls (AdamW's
// addcdiv_, the tensor operators) do not keep alive while libtorch reads them; a garbage collection started by another
// thread's allocations during such a call can free one ("Expected false to be true" from c10::Scalar::toFloat). With a
// single managed thread allocating, no collection can start while a native call runs. The library's own hot paths keep
// their scalars alive (TensorScalarOps); this covers the calls inside TorchSharp.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
