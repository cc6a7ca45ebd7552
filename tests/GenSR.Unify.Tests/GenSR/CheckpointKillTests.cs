using System.Diagnostics;
using static TorchSharp.torch;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// Kills a process that saves checkpoints in a loop at random instants; after every kill the folder must load and hold one
/// of the two states that were being saved, complete (the weights' hash is verified by the load).
/// </summary>
public sealed class CheckpointKillTests : IDisposable
{
    private const int Kills = 24;
    private readonly string _root = Directory.CreateTempSubdirectory("gensr-kill-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The helper's build output, next to this test assembly's (same configuration and framework).</summary>
    private static string HelperPath()
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testOutput);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testOutput)!);
        var testsFolder = Path.GetFullPath(Path.Combine(testOutput, "..", "..", "..", ".."));
        var helper = Path.Combine(testsFolder, "GenSR.Unify.KillHelper", "bin", configuration, framework, "GenSR.Unify.KillHelper.dll");
        return File.Exists(helper) ? helper : throw new FileNotFoundException($"The kill helper is not built at {helper}; build the solution.", helper);
    }

    /// <summary>A fingerprint of a checkpoint's weights: the sum of its shared token embedding.</summary>
    private static float Fingerprint(string folder)
    {
        using var checkpoint = GenSRCheckpoint.Load(folder);
        using var _ = no_grad();
        return checkpoint.Model.Backbone.SharedEmbedding.sum().item<float>();
    }

    [Fact]
    public void Loads_while_another_process_saves_back_to_back_always_get_a_complete_checkpoint()
    {
        var folder = Path.Combine(_root, "busy");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [HelperPath(), folder, "0"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            var ready = process.StandardOutput.ReadLine()!.Split(' ');
            float[] states = [float.Parse(ready[1], System.Globalization.CultureInfo.InvariantCulture), float.Parse(ready[2], System.Globalization.CultureInfo.InvariantCulture)];
            Assert.Equal("saved 0", process.StandardOutput.ReadLine());
            // Each load overlaps several saves, each of which removes the version before it.
            for (var i = 0; i < 20; i++) Assert.Contains(Fingerprint(folder), states);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    [Fact]
    public void A_save_killed_at_any_instant_leaves_the_old_or_the_new_checkpoint_complete()
    {
        var folder = Path.Combine(_root, "model");
        var helper = HelperPath();
        var random = new Random(20261130);
        float[]? states = null;
        var completedSaves = 0;
        for (var kill = 0; kill < Kills; kill++)
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", [helper, folder, (kill % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var ready = process.StandardOutput.ReadLine()!.Split(' ');
            Assert.Equal("ready", ready[0]);
            states ??= [float.Parse(ready[1], System.Globalization.CultureInfo.InvariantCulture), float.Parse(ready[2], System.Globalization.CultureInfo.InvariantCulture)];
            Assert.NotEqual(states[0], states[1]);
            if (kill == 0)
            {
                // The first run completes a save of each state before its kill, so that the folder holds a checkpoint.
                Assert.Equal("saved 0", process.StandardOutput.ReadLine());
                Assert.Equal("saved 1", process.StandardOutput.ReadLine());
            }

            Thread.Sleep(random.Next(0, 120));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            completedSaves += process.StandardOutput.ReadToEnd().Split('\n').Count(l => l.StartsWith("saved", StringComparison.Ordinal));

            var fingerprint = Fingerprint(folder);
            var known = states!;
            Assert.True(known.Contains(fingerprint), $"after kill {kill + 1} the checkpoint holds neither state ({fingerprint} vs {known[0]}, {known[1]})");
        }

        // Kills landed during saves too, not only between them (the helper saves back to back).
        Assert.True(completedSaves > 0, "no save completed after the first run: the kills tested nothing but start-up");
        // Every version folder is complete or young: killed saves leave partial versions that later saves remove once they are
        // older than the grace period (the same rule as superseded versions), and the folder still loads.
        Assert.True(GenSRCheckpoint.Exists(folder));
    }
}
