namespace GenSR.Unify;

/// <summary>One ranked item: its dense id, external key, title and score (higher is better).</summary>
/// <param name="ItemId">Dense item id.</param>
/// <param name="Key">External item key (as in the dataset files).</param>
/// <param name="Title">Item title.</param>
/// <param name="Score">Log-probability of the identifier (generative) or log P(Yes) (pointwise).</param>
public sealed record ScoredItem(int ItemId, string Key, string Title, float Score);
