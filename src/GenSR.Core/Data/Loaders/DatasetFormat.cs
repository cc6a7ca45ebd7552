namespace GenSR.Core;

/// <summary>The on-disk dataset formats GenSR.NET reads (see <c>docs/data-formats.md</c>).</summary>
public enum DatasetFormat
{
    /// <summary>
    /// The Amazon family used by TIGER/LC-Rec/LETTER style repositories: <c>&lt;Name&gt;.inter.json</c> +
    /// <c>&lt;Name&gt;.item.json</c>. Read by <see cref="AmazonDatasetLoader"/>.
    /// </summary>
    Amazon = 0,

    /// <summary>MovieLens 100K: <c>u.data</c> + <c>u.item</c> (+ optional <c>u.genre</c>). Read by <see cref="MovieLensLoader"/>.</summary>
    MovieLens = 1,

    /// <summary>
    /// The generic JSON Lines format with optional real queries: <c>events.jsonl</c> + <c>items.jsonl</c>.
    /// Read by <see cref="JsonLinesDatasetLoader"/>.
    /// </summary>
    JsonLines = 2,
}
