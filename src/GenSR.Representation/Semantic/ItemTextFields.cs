namespace GenSR.Representation;

/// <summary>Which fields of an item make up the text that a semantic encoder reads.</summary>
[Flags]
public enum ItemTextFields
{
    /// <summary>No field (an empty text).</summary>
    None = 0,

    /// <summary>The item's title.</summary>
    Title = 1,

    /// <summary>The item's brand.</summary>
    Brand = 2,

    /// <summary>The item's category path, from the most general category to the most specific.</summary>
    Categories = 4,

    /// <summary>The item's free-text description.</summary>
    Description = 8,

    /// <summary>Title, brand and categories: the same text as <see cref="GenSR.Core.Item.Text"/>.</summary>
    Default = Title | Brand | Categories,
}
