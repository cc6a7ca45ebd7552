namespace GenSR.Core;

/// <summary>What a piece of a prompt template is.</summary>
public enum PromptSegmentKind
{
    /// <summary>Fixed text of the template.</summary>
    Literal = 0,

    /// <summary><c>{name}</c>: replaced by text (e.g. the query or the candidate's title), then tokenized with the surrounding text.</summary>
    TextSlot = 1,

    /// <summary><c>{history}</c>: replaced by given token ids (e.g. the identifier tokens of the history items), truncated from the oldest side.</summary>
    TokenSequenceSlot = 2,

    /// <summary><c>[cf_user]</c> etc.: one soft token whose embedding the model replaces.</summary>
    SoftToken = 3,
}
