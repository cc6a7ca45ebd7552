namespace GenSR.Core;

/// <summary>One piece of a parsed <see cref="PromptTemplate"/>.</summary>
/// <param name="Kind">What the piece is.</param>
/// <param name="Text">The literal text, or the slot's name (<c>query</c>, <c>history</c>, <c>cf_user</c> …).</param>
/// <param name="SoftToken">For <see cref="PromptSegmentKind.SoftToken"/>, which one; otherwise <c>null</c>.</param>
public sealed record PromptSegment(PromptSegmentKind Kind, string Text, SoftTokenKind? SoftToken = null);
