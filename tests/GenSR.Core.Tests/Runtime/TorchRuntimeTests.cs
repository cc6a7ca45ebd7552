using TorchSharp;

namespace GenSR.Core.Tests.Runtime;

public class TorchRuntimeTests
{
    [Theory]
    [InlineData("CPU", DeviceType.CPU, -1)]
    [InlineData(" cuda ", DeviceType.CUDA, -1)]
    [InlineData("gpu", DeviceType.CUDA, -1)]
    [InlineData("cuda:1", DeviceType.CUDA, 1)]
    public void Parses_device_names(string text, DeviceType type, int index)
    {
        var device = TorchRuntime.ParseDevice(text)!;
        Assert.Equal(type, device.type);
        Assert.Equal(index, device.index);
    }

    [Fact]
    public void Auto_parses_as_null_which_every_device_option_reads_as_automatic() => Assert.Null(TorchRuntime.ParseDevice(" Auto"));

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void Rejects_unknown_device_names(string text) =>
        Assert.Contains("expected auto, cpu, cuda or cuda:N", Assert.Throws<ArgumentException>(() => TorchRuntime.ParseDevice(text)).Message);

    [Fact]
    public void Null_resolves_to_cuda_only_when_available()
    {
        var d = TorchRuntime.Resolve(null);
        Assert.Equal(TorchRuntime.CudaAvailable ? DeviceType.CUDA : DeviceType.CPU, d.type);
        Assert.Equal(DeviceType.CPU, TorchRuntime.Resolve(TorchSharp.torch.CPU).type);
        if (!TorchRuntime.CudaAvailable)
            Assert.Contains("CUDA is not available", Assert.Throws<InvalidOperationException>(() => TorchRuntime.Resolve(TorchRuntime.ParseDevice("cuda"))).Message);
    }

    [Fact]
    public void Seeding_makes_torch_and_managed_randomness_reproducible()
    {
        TorchRuntime.Seed(123);
        using var a = torch.rand(5);
        var r1 = TorchRuntime.CreateRandom(123, stream: 1).Next();
        TorchRuntime.Seed(123);
        using var b = torch.rand(5);
        var r2 = TorchRuntime.CreateRandom(123, stream: 1).Next();
        Assert.True(a.equal(b).all().item<bool>());
        Assert.Equal(r1, r2);
        Assert.NotEqual(r1, TorchRuntime.CreateRandom(123, stream: 2).Next());
    }

    [Theory]
    [InlineData("dll")]
    [InlineData("typeinit")]
    [InlineData("notsupported")]
    public void A_missing_native_backend_is_one_message_naming_the_package_and_version(string failure)
    {
        Exception cause = failure switch
        {
            "dll" => new DllNotFoundException("Unable to load shared library 'LibTorchSharp'"),
            "typeinit" => new TypeInitializationException("TorchSharp.torch", new DllNotFoundException("libtorch_cpu.so: cannot open shared object file")),
            _ => new NotSupportedException("The libtorch native libraries could not be loaded"),
        };

        var error = Assert.Throws<InvalidOperationException>(() => TorchRuntime.CheckBackend(() => throw cause));

        Assert.Contains("libtorch-cpu-linux-x64", error.Message);
        Assert.Contains("2.10.0", error.Message);
        Assert.Contains("GLIBCXX_3.4.32", error.Message);
        Assert.Same(cause, error.InnerException);
        Assert.Contains(cause.InnerException?.Message ?? cause.Message, error.Message);
    }

    [Fact]
    public void The_backend_check_passes_here_and_leaves_other_errors_alone()
    {
        TorchRuntime.EnsureBackend();
        TorchRuntime.CheckBackend(() => { });
        Assert.Throws<ArgumentException>(() => TorchRuntime.CheckBackend(() => throw new ArgumentException("not a backend problem")));
    }

    [Fact]
    public void Thread_advice_is_given_only_for_torchs_untouched_multi_thread_default()
    {
        Assert.Contains("TorchRuntime.SetThreads(1)", TorchRuntime.ThreadAdvice(configured: false, fromEnvironment: false, threads: 2));
        Assert.Null(TorchRuntime.ThreadAdvice(configured: true, fromEnvironment: false, threads: 2));
        Assert.Null(TorchRuntime.ThreadAdvice(configured: false, fromEnvironment: true, threads: 8));
        Assert.Null(TorchRuntime.ThreadAdvice(configured: false, fromEnvironment: false, threads: 1));
        TorchRuntime.SetThreads(1);
        Assert.True(TorchRuntime.ThreadsConfigured);
        Assert.Null(TorchRuntime.ThreadAdvice());
    }
}
