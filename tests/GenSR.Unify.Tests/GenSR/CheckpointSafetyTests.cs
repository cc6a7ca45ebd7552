using GenSR.Core;

namespace GenSR.Unify.Tests.GenSR;

/// <summary>Saving never leaves a folder without a complete checkpoint, refuses what it would damage, and cleans up after interrupted saves.</summary>
public sealed class CheckpointSafetyTests(QueryVectorFixture fixture) : IClassFixture<QueryVectorFixture>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gensr-checkpoint-safety-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Save(string folder, IReadOnlyList<string>? keys = null, IReadOnlyDictionary<string, Action<string>>? sidecars = null) =>
        GenSRCheckpoint.Save(folder, fixture.Prepared.Model, fixture.Prepared.Builder, keys ?? fixture.Prepared.ItemKeys, sidecarFiles: sidecars);

    [Fact]
    public void A_save_switches_one_pointer_and_removes_versions_once_past_the_grace_period()
    {
        var folder = Path.Combine(_root, "model");
        Save(folder);
        var first = GenSRCheckpoint.ResolveFolder(folder);
        // A version begun long ago (its name holds when): removed by the next save.
        var old = Path.Combine(folder, "v-20000101T000000000-" + new string('a', 32));
        Directory.CreateDirectory(old);
        Directory.SetLastWriteTimeUtc(old, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Save(folder, sidecars: new Dictionary<string, Action<string>> { ["notes.txt"] = path => File.WriteAllText(path, "second") });
        var second = GenSRCheckpoint.ResolveFolder(folder);
        Assert.NotEqual(first, second);
        Assert.False(Directory.Exists(old));
        // The version just superseded stays for SupersededGrace, for a load that resolved it before the switch.
        Assert.True(Directory.Exists(first));
        Assert.Equal([first, second], Directory.GetDirectories(folder).Order(StringComparer.Ordinal));
        Assert.Equal([GenSRCheckpoint.CurrentFileName], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("second", File.ReadAllText(Path.Combine(second, "notes.txt")));
        using var loaded = GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder);
        Assert.Equal(fixture.Prepared.ItemKeys, loaded.ItemKeys);
    }

    [Fact]
    public void A_version_saved_long_ago_stays_for_the_grace_period_after_it_is_superseded()
    {
        var folder = Path.Combine(_root, "model");
        Save(folder);
        // The current version, as if it had been saved long ago and served since (its name holds when it was begun).
        var aged = "v-20000101T000000000-" + new string('c', 32);
        Directory.Move(GenSRCheckpoint.ResolveFolder(folder), Path.Combine(folder, aged));
        File.WriteAllText(Path.Combine(folder, GenSRCheckpoint.CurrentFileName), aged);
        Directory.SetLastWriteTimeUtc(Path.Combine(folder, aged), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Save(folder);

        // A load that read the pointer just before this save may be opening it: it is kept, counted from the switch.
        Assert.True(Directory.Exists(Path.Combine(folder, aged)));
        Assert.NotEqual(Path.Combine(folder, aged), GenSRCheckpoint.ResolveFolder(folder));
    }

    [Fact]
    public void An_interrupted_save_leaves_the_previous_checkpoint_and_the_next_save_cleans_up()
    {
        var folder = Path.Combine(_root, "model");
        Save(folder);
        var current = GenSRCheckpoint.ResolveFolder(folder);
        // What a kill at any instant before the pointer switch leaves: a partial version folder and a pointer temporary.
        var partial = Path.Combine(folder, "v-20000101T000000000-" + new string('0', 32));
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, GenSRCheckpoint.WeightsFileName), "half");
        Directory.SetLastWriteTimeUtc(partial, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(folder, GenSRCheckpoint.CurrentFileName + ".tmp-" + new string('1', 32)), "v-x");
        Assert.Equal(current, GenSRCheckpoint.ResolveFolder(folder));
        using (GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder)) { }

        Save(folder);
        Assert.False(Directory.Exists(partial));
        Assert.Equal([current, GenSRCheckpoint.ResolveFolder(folder)], Directory.GetDirectories(folder).Order(StringComparer.Ordinal));
        Assert.Equal([GenSRCheckpoint.CurrentFileName], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_of_the_earlier_layout_loads_and_is_converted_by_the_next_save()
    {
        var folder = Path.Combine(_root, "legacy");
        Save(folder);
        // Flatten into the earlier layout: the files directly in the folder, no pointer.
        var version = GenSRCheckpoint.ResolveFolder(folder);
        foreach (var file in Directory.GetFiles(version)) File.Move(file, Path.Combine(folder, Path.GetFileName(file)));
        Directory.Delete(version);
        File.Delete(Path.Combine(folder, GenSRCheckpoint.CurrentFileName));
        Assert.Equal(folder, GenSRCheckpoint.ResolveFolder(folder));
        using (GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder)) { }

        Save(folder);
        Assert.Equal([GenSRCheckpoint.CurrentFileName], Directory.GetFiles(folder).Select(Path.GetFileName));
        using (GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder)) { }
    }

    [Fact]
    public void Saving_refuses_what_it_would_damage_and_writes_nothing()
    {
        var occupied = Path.Combine(_root, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "thesis.docx"), "precious");
        var e = Assert.Throws<ArgumentException>(() => Save(occupied));
        Assert.Contains("not a GenSR checkpoint", e.Message);
        Assert.Equal(["thesis.docx"], Directory.GetFileSystemEntries(occupied).Select(Path.GetFileName));

        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "x");
        Assert.Throws<ArgumentException>(() => Save(file));

        var folder = Path.Combine(_root, "refused");
        var keys = fixture.Prepared.ItemKeys.ToArray();
        keys[1] = keys[0];
        Assert.Contains("unique", Assert.Throws<ArgumentException>(() => Save(folder, keys)).Message);
        keys[1] = null!;
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => Save(folder, keys)).Message);
        foreach (var name in new[] { GenSRCheckpoint.WeightsFileName, GenSRCheckpoint.ManifestFileName, GenSRCheckpoint.CurrentFileName, "../escape.bin", "/tmp/abs.bin", "sub/x.bin", ".." })
            Assert.Throws<ArgumentException>(() => Save(folder, sidecars: new Dictionary<string, Action<string>> { [name] = path => File.WriteAllText(path, "x") }));
        Assert.False(Directory.Exists(folder));
        Assert.False(File.Exists(Path.Combine(_root, "escape.bin")));

        var model = fixture.Prepared.Model;
        var disposed = new GenSRModel(model.Config, model.ItemCollaborative, model.state_dict()[GenSRModel.ItemTitleIdsName],
                                            fixture.Prepared.Builder.Vocabulary.PadId, itemTextVectors: model.ItemTextVectors);
        disposed.Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => GenSRCheckpoint.Save(folder, disposed, fixture.Prepared.Builder, fixture.Prepared.ItemKeys));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void An_edited_manifest_cannot_make_the_load_allocate_a_huge_model()
    {
        var folder = Path.Combine(_root, "huge");
        Save(folder);
        var manifestPath = Path.Combine(GenSRCheckpoint.ResolveFolder(folder), GenSRCheckpoint.ManifestFileName);
        var original = File.ReadAllText(manifestPath);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(original)!.AsObject();
        manifest["model"]!["backbone"]!["d_model"] = 1_048_576;
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder));
        Assert.Contains("does not belong to these weights", e.Message);

        manifest = System.Text.Json.Nodes.JsonNode.Parse(original)!.AsObject();
        manifest["model"]!["backbone"]!["num_layers"] = 200_000;
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder));

        File.WriteAllText(manifestPath, original.Replace("{\"format\":", "{\"format\":\"x\",\"format\":"));
        Assert.Contains(manifestPath, Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder)).Message);
    }

    [Fact]
    public void Links_to_device_files_are_not_read_forever()
    {
        if (!OperatingSystem.IsLinux()) return;
        var folder = Path.Combine(_root, "links");
        Save(folder);
        var files = GenSRCheckpoint.ResolveFolder(folder);
        foreach (var name in new[] { GenSRCheckpoint.WeightsFileName, GenSRCheckpoint.ManifestFileName })
        {
            var path = Path.Combine(files, name);
            var kept = path + ".kept";
            File.Move(path, kept);
            File.CreateSymbolicLink(path, "/dev/zero");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var e = Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder));
            Assert.Contains(path, e.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{name}: {clock.Elapsed}");
            File.Delete(path);
            File.Move(kept, path);
        }
    }

    [Fact]
    public void Non_finite_weights_and_repeated_item_keys_are_refused_at_load()
    {
        var folder = Path.Combine(_root, "nan");
        Save(folder);
        var files = GenSRCheckpoint.ResolveFolder(folder);
        var manifestPath = Path.Combine(files, GenSRCheckpoint.ManifestFileName);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest.Remove("weights_sha256");
        var keys = manifest["item_keys"]!.AsArray();
        var first = keys[0]!.GetValue<string>();
        keys[3] = first;
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var repeated = Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder));
        Assert.Contains("\"item_keys\"[3]", repeated.Message);

        keys[3] = fixture.Prepared.ItemKeys[3];
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var weightsPath = Path.Combine(files, GenSRCheckpoint.WeightsFileName);
        var weights = global::GenSR.Core.SafeTensorsFile.Load(weightsPath);
        var name = weights.Keys.First(k => k.StartsWith("query_proj", StringComparison.Ordinal));
        using (TorchSharp.torch.no_grad()) weights[name].view(-1)[0] = float.NaN;
        global::GenSR.Core.SafeTensorsFile.Save(weightsPath, weights);
        foreach (var t in weights.Values) t.Dispose();
        var e = Assert.Throws<WeightsMismatchException>(() => GenSRCheckpoint.Load(folder, queryEncoder: fixture.Encoder));
        Assert.Contains(e.Problems, p => p.Contains(name) && p.Contains("NaN"));
    }

    [Fact]
    public void A_history_event_with_an_undefined_task_is_named()
    {
        var c = fixture.Split.Validation[0];
        var history = c.History.ToArray();
        history[0] = history[0] with { Task = (global::GenSR.Core.TaskKind)7 };
        var e = Assert.Throws<ArgumentException>(() => fixture.Prepared.Builder.Build([new GenSRRequest(history, global::GenSR.Core.TaskKind.Recommendation)], TorchSharp.torch.CPU, withLabels: false));
        Assert.Contains("task value 7", e.Message);
    }

    [Fact]
    public void A_damaged_pointer_is_reported_by_name()
    {
        var folder = Path.Combine(_root, "pointer");
        Save(folder);
        var pointer = Path.Combine(folder, GenSRCheckpoint.CurrentFileName);
        File.WriteAllText(pointer, "../../etc");
        Assert.Contains(pointer, Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder)).Message);
        File.WriteAllText(pointer, "v-missing");
        Assert.Contains("does not exist", Assert.Throws<InvalidDataException>(() => GenSRCheckpoint.Load(folder)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => GenSRCheckpoint.Load(Path.Combine(_root, "absent")));
    }
}
