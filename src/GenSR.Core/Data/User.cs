namespace GenSR.Core;

/// <summary>A user of the dataset.</summary>
/// <param name="Id">Dense id, <c>0 … user count − 1</c>.</param>
/// <param name="Key">The user's external key in the source data.</param>
public sealed record User(int Id, string Key);
