using GenSR.Core;

namespace GenSR.Representation;

/// <summary>Builds an item's text from a selection of its fields.</summary>
public static class ItemTextFieldsExtensions
{
    /// <summary>
    /// Joins the selected fields of <paramref name="item"/> with single spaces, in the order title, brand, categories,
    /// description, leaving out empty fields. <see cref="ItemTextFields.Default"/> gives exactly <see cref="Item.Text"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    public static string Compose(this ItemTextFields fields, Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var parts = new List<string>(4);
        if (fields.HasFlag(ItemTextFields.Title)) parts.Add(item.Title);
        if (fields.HasFlag(ItemTextFields.Brand)) parts.Add(item.Brand);
        if (fields.HasFlag(ItemTextFields.Categories)) parts.Add(string.Join(" ", item.Categories));
        if (fields.HasFlag(ItemTextFields.Description)) parts.Add(item.Description);
        return string.Join(" ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
    }
}
