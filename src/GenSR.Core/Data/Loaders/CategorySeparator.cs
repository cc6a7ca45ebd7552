namespace GenSR.Core;

/// <summary>How the segments of a category path are joined in a source string.</summary>
internal enum CategorySeparator
{
    /// <summary>A comma with no space after it; segment names may themselves contain ", ".</summary>
    Comma,

    /// <summary>A comma followed by a space.</summary>
    CommaSpace,

    /// <summary>A greater-than sign, usually with spaces around it (<c>A &gt; B</c>).</summary>
    GreaterThan,
}
