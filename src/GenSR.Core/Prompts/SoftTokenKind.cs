namespace GenSR.Core;

/// <summary>What a soft token stands for: one of GenSR's two user views, or a candidate item's two views (pointwise prompts).</summary>
public enum SoftTokenKind
{
    /// <summary><c>[cf_user]</c>: the user vector of the collaborative view (target attention over CF item embeddings).</summary>
    CollaborativeUser = 0,

    /// <summary><c>[sem_user]</c>: the user vector of the semantic view (soft filtering over history item text).</summary>
    SemanticUser = 1,

    /// <summary><c>[cf_item]</c>: the candidate item's collaborative embedding.</summary>
    CollaborativeItem = 2,

    /// <summary><c>[sem_item]</c>: the candidate item's semantic embedding.</summary>
    SemanticItem = 3,

    /// <summary>
    /// <c>[query_vec]</c>: the query's pretrained sentence vector, projected (a learned "no query" vector in recommendation
    /// prompts). Only in the templates of models that read query vectors (<see cref="GenSRPromptTemplates.For(TaskKind, bool, bool)"/>).
    /// </summary>
    QueryVector = 4,
}
