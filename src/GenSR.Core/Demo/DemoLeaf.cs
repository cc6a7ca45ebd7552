namespace GenSR.Core;

/// <summary>A leaf of the demo category tree with the vocabulary its items and queries are made from.</summary>
/// <param name="Department">Level 1 of the path, e.g. <c>Electronics</c>.</param>
/// <param name="Group">Level 2, e.g. <c>Cameras</c>.</param>
/// <param name="Name">Level 3, e.g. <c>Digital Cameras</c>.</param>
/// <param name="Kind">How items are made.</param>
/// <param name="Noun">The product noun in titles, e.g. <c>Digital Camera</c>.</param>
/// <param name="QueryPhrases">How shoppers ask for it, lower-case, e.g. <c>digital camera</c>, <c>camera</c>.</param>
/// <param name="Attributes">Attributes an item takes one or two of, e.g. <c>Mirrorless</c>.</param>
/// <param name="Variants">Colour or size variants an item takes one of; may be empty.</param>
/// <param name="BasePrice">Typical price in dollars of a standard-tier item.</param>
/// <param name="Weight">Relative number of items in the leaf.</param>
/// <param name="FollowUps">Leaves whose items often follow an item of this leaf (accessories, consumables).</param>
internal sealed record DemoLeaf(
    string Department, string Group, string Name, DemoLeafKind Kind, string Noun, string[] QueryPhrases,
    string[] Attributes, string[] Variants, double BasePrice, double Weight, string[] FollowUps);
