namespace GenSR.Representation;

/// <summary>One observed training interaction: user <see cref="User"/> interacted with item <see cref="Item"/>.</summary>
/// <param name="User">Dense user id, <c>0 … users − 1</c>.</param>
/// <param name="Item">Dense item id, <c>0 … items − 1</c>.</param>
public readonly record struct UserItemPair(int User, int Item);
