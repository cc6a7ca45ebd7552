namespace GenSR.Core;

/// <summary>A (user, item) pair of the training part, the input of collaborative models (LightGCN, MF-BPR).</summary>
/// <param name="UserId">Dense user id.</param>
/// <param name="ItemId">Dense item id.</param>
public readonly record struct UserItemInteraction(int UserId, int ItemId);
