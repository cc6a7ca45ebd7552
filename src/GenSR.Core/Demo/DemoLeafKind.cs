namespace GenSR.Core;

/// <summary>How the items of a demo leaf category are made and followed up.</summary>
internal enum DemoLeafKind
{
    /// <summary>Branded products with attributes and a colour or size variant.</summary>
    Product,

    /// <summary>Novels grouped into numbered series; book k is usually followed by book k + 1.</summary>
    SeriesBook,

    /// <summary>Board games that each get one expansion.</summary>
    BaseGame,

    /// <summary>Expansions, each tied to one base game (same publisher).</summary>
    Expansion,
}
