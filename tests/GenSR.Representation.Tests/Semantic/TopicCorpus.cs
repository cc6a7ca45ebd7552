namespace GenSR.Representation.Tests.Semantic;

/// <summary>A small seeded catalogue of product titles drawn from a few topics, with brand and generic words mixed in.</summary>
internal static class TopicCorpus
{
    public static readonly string[][] TopicWords =
    [
        ["guitar", "strings", "acoustic", "electric", "fret", "pick", "amplifier", "capo", "tuner", "bass", "chord", "pedal"],
        ["screws", "drill", "wood", "stainless", "bolt", "wrench", "hammer", "nails", "anchor", "socket", "torque", "fastener"],
        ["coffee", "espresso", "beans", "grinder", "roast", "arabica", "brew", "filter", "mug", "latte", "kettle", "barista"],
        ["yoga", "mat", "dumbbell", "fitness", "resistance", "workout", "kettlebell", "stretch", "treadmill", "gym", "pilates", "bands"],
        ["lipstick", "mascara", "foundation", "blush", "eyeliner", "serum", "moisturizer", "palette", "concealer", "primer", "gloss", "toner"],
        ["puppy", "leash", "collar", "kibble", "litter", "aquarium", "feeder", "chew", "kennel", "catnip", "grooming", "harness"],
    ];

    private static readonly string[] Generic = ["pack", "set", "black", "large", "premium", "new", "pro", "classic", "portable", "kit"];
    private static readonly string[] Brands = ["acme", "zenith", "nordic", "apex", "orion", "vertex", "lumen", "summit"];

    /// <summary><paramref name="perTopic"/> titles per topic: 4 topic words, 2 generic words and a brand, in random order.</summary>
    public static (string[] Texts, int[] Topics) Generate(int perTopic, int seed)
    {
        var random = new Random(seed);
        var texts = new List<string>();
        var topics = new List<int>();
        for (var t = 0; t < TopicWords.Length; t++)
        {
            for (var i = 0; i < perTopic; i++)
            {
                var words = TopicWords[t].OrderBy(_ => random.Next()).Take(4)
                    .Concat(Generic.OrderBy(_ => random.Next()).Take(2))
                    .Append(Brands[random.Next(Brands.Length)])
                    .OrderBy(_ => random.Next());
                texts.Add("The " + string.Join(" ", words) + " for you");
                topics.Add(t);
            }
        }
        return (texts.ToArray(), topics.ToArray());
    }
}
