using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GenSR.Core.Tests.Data;
using static TorchSharp.torch;

namespace GenSR.Core.Tests.Serialization;

/// <summary>
/// Untrusted files mutated at random — bit flips, truncations, inserted or deleted bytes, edited numbers — must give a
/// clear exception of the documented type (<see cref="InvalidDataException"/> for safetensors,
/// <see cref="DatasetFormatException"/> for datasets) or a correct load; never another exception, a hang or a crash.
/// </summary>
public sealed class MutationProperties
{
    /// <summary>One random edit of a file's bytes.</summary>
    public sealed record Mutation(int Seed, int Kind, int Count);

    private static Arbitrary<Mutation> Mutations =>
        (from seed in Gen.Choose(0, int.MaxValue - 1)
         from kind in Gen.Choose(0, 4)
         from count in Gen.Choose(1, 8)
         select new Mutation(seed, kind, count)).ToArbitrary();

    /// <summary>Applies <paramref name="m"/>: flip bits, truncate, insert random bytes, delete a span, or replace a digit.</summary>
    internal static byte[] Apply(byte[] original, Mutation m)
    {
        var random = new Random(m.Seed);
        var bytes = original.ToList();
        switch (m.Kind)
        {
            case 0:
                for (var i = 0; i < m.Count; i++)
                {
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case 1:
                return original.AsSpan(0, random.Next(original.Length)).ToArray();
            case 2:
                bytes.InsertRange(random.Next(bytes.Count + 1), Enumerable.Range(0, m.Count).Select(_ => (byte)random.Next(256)));
                break;
            case 3:
                var start = random.Next(bytes.Count);
                bytes.RemoveRange(start, Math.Min(m.Count, bytes.Count - start));
                break;
            default:
                var digits = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] is >= (byte)'0' and <= (byte)'9').ToArray();
                if (digits.Length == 0) goto case 0;
                for (var i = 0; i < m.Count; i++) bytes[digits[random.Next(digits.Length)]] = (byte)"0123456789-9"[random.Next(12)];
                break;
        }
        return bytes.ToArray();
    }

    private static readonly Lazy<byte[]> ValidSafeTensors = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"gensr-mutation-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var a = arange(12, dtype: ScalarType.Float32).view(3, 4);
            using var b = arange(5, dtype: ScalarType.Int64);
            using var c = tensor(new[] { true, false });
            SafeTensorsFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a, ["b.weight"] = b, ["c"] = c }, new Dictionary<string, string> { ["format"] = "pt" });
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    });

    [Property(MaxTest = 400)]
    public Property A_mutated_safetensors_file_loads_consistently_or_is_refused_by_name() =>
        Prop.ForAll(Mutations, m =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"gensr-mutation-{Guid.NewGuid():N}.safetensors");
            try
            {
                File.WriteAllBytes(path, Apply(ValidSafeTensors.Value, m));
                try
                {
                    var (entries, _) = SafeTensorsFile.ReadHeader(path);
                    var tensors = SafeTensorsFile.Load(path);
                    try
                    {
                        // A load that succeeds returns exactly the tensors its header describes.
                        return tensors.Count == entries.Count &&
                               entries.All(e => tensors.TryGetValue(e.Name, out var t) && t.shape.SequenceEqual(e.Shape));
                    }
                    finally
                    {
                        foreach (var t in tensors.Values) t.Dispose();
                    }
                }
                catch (InvalidDataException e)
                {
                    return e.Message.Contains(path, StringComparison.Ordinal) || e.Message.Contains("data_offsets", StringComparison.Ordinal) || e.Message.Contains("tensor", StringComparison.Ordinal);
                }
            }
            finally
            {
                File.Delete(path);
            }
        });

    private static readonly (string Format, (string Name, byte[] Bytes)[] Files)[] ValidDatasets =
    [
        ("jsonl", [
            ("items.jsonl", Encoding.UTF8.GetBytes("{\"item\": \"shoe-1\", \"title\": \"Red Running Shoe\", \"brand\": \"Stride\", \"categories\": [\"Shoes\", \"Running\"]}\n{\"item\": \"shoe-2\", \"title\": \"Blue Trail Shoe\", \"categories\": \"Shoes > Trail\"}\n")),
            ("events.jsonl", Encoding.UTF8.GetBytes("{\"user\": \"ann\", \"item\": \"shoe-2\", \"ts\": 300, \"query\": \"trail shoes\"}\n{\"user\": \"bob\", \"item\": \"shoe-1\"}\n{\"user\": \"ann\", \"item\": \"shoe-1\", \"ts\": 100}\n")),
        ]),
        ("amazon", [
            ("Tools.item.json", Encoding.UTF8.GetBytes("{\"10\": {\"title\": \"Kreg Screws\", \"brand\": \"Kreg\", \"categories\": \"Tools,Fasteners,Screws\"}, \"11\": {\"title\": \"Super Glue\", \"categories\": \"Tools,Adhesives\"}}")),
            ("Tools.inter.json", Encoding.UTF8.GetBytes("{\"7\": [11, 10], \"3\": [\"10\", \"11\", 10]}")),
        ]),
        ("movielens", [
            ("u.item", Encoding.Latin1.GetBytes("1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n2|Heat (1995)|01-Jan-1995||http://y|0|1|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0\n")),
            ("u.data", Encoding.UTF8.GetBytes("10\t2\t4\t900\n2\t1\t5\t500\n10\t1\t3\t800\n")),
        ]),
    ];

    [Property(MaxTest = 600)]
    public Property A_mutated_dataset_file_loads_or_is_refused_with_a_dataset_error() =>
        Prop.ForAll(Mutations, Gen.Choose(0, 5).ToArbitrary(), (m, which) =>
        {
            var (format, files) = ValidDatasets[which / 2];
            using var folder = new TempDatasetFolder();
            for (var f = 0; f < files.Length; f++)
                folder.WriteBytes(files[f].Name, f == which % 2 ? Apply(files[f].Bytes, m) : files[f].Bytes);
            try
            {
                var dataset = DatasetLoader.Load(folder.Path, DatasetFormat.Parse(format));
                // A load that succeeds gives a consistent dataset: every event names a known item and its own user.
                return dataset.Histories.Select((h, u) => h.All(e => e.UserId == u && dataset.Catalog.Contains(e.ItemId))).All(ok => ok);
            }
            catch (DatasetFormatException e)
            {
                return e.Message.Length > 0;
            }
        });
}
