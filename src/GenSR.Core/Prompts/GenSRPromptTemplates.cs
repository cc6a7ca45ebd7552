
namespace GenSR.Core;

/// <summary>
/// The task-specific instructions of GenSR (arXiv 2504.06714, "S&amp;R Task Unifying": one prompt per task, the search
/// prompt carrying the query, both carrying the user's collaborative and semantic soft tokens). The wording is kept short
/// because small models pay per token. Every template has the same two user soft tokens; pointwise templates add the
/// candidate's two item soft tokens and ask for "Yes" or "No".
/// </summary>
public static class GenSRPromptTemplates
{
    /// <summary>Name of the text slot holding the search query.</summary>
    public const string QuerySlot = "query";

    /// <summary>Name of the text slot holding the candidate item's text (pointwise prompts).</summary>
    public const string CandidateSlot = "candidate";

    /// <summary>Generative recommendation: the model answers with the next item's identifier.</summary>
    public static PromptTemplate Recommendation { get; } = PromptTemplate.Parse(
        "Recommend the next item. User: [cf_user] [sem_user]. History: {history}.", "recommendation");

    /// <summary>Generative search: the model answers with the identifier of the item the user wants for the query.</summary>
    public static PromptTemplate Search { get; } = PromptTemplate.Parse(
        "Search for: {query}. User: [cf_user] [sem_user]. History: {history}.", "search");

    /// <summary>Pointwise recommendation: will the user want the candidate? The model answers "Yes" or "No".</summary>
    public static PromptTemplate PointwiseRecommendation { get; } = PromptTemplate.Parse(
        "Will the user want this item next? User: [cf_user] [sem_user]. History: {history}. Item: {candidate} [cf_item] [sem_item]. Yes or No?",
        "pointwise-recommendation");

    /// <summary>Pointwise search: does the candidate match the user's query? The model answers "Yes" or "No".</summary>
    public static PromptTemplate PointwiseSearch { get; } = PromptTemplate.Parse(
        "Search for: {query}. Does this item match? User: [cf_user] [sem_user]. History: {history}. Item: {candidate} [cf_item] [sem_item]. Yes or No?",
        "pointwise-search");

    /// <summary>
    /// Generative recommendation for a model that reads query vectors: the <c>[query_vec]</c> slot carries a learned
    /// "no query" vector, so that recommendation and search rows share one soft-token layout in a batch.
    /// </summary>
    public static PromptTemplate RecommendationWithQueryVector { get; } = PromptTemplate.Parse(
        "Recommend the next item. [query_vec] User: [cf_user] [sem_user]. History: {history}.", "recommendation-query-vector");

    /// <summary>Generative search for a model that reads query vectors: the query's words and its projected sentence vector.</summary>
    public static PromptTemplate SearchWithQueryVector { get; } = PromptTemplate.Parse(
        "Search for: {query} [query_vec]. User: [cf_user] [sem_user]. History: {history}.", "search-query-vector");

    /// <summary>All built-in templates.</summary>
    public static IReadOnlyList<PromptTemplate> All { get; } =
        [Recommendation, Search, PointwiseRecommendation, PointwiseSearch, RecommendationWithQueryVector, SearchWithQueryVector];

    /// <summary>
    /// The template of a task in generative or pointwise mode; with <paramref name="queryVector"/>, the generative
    /// templates with the <c>[query_vec]</c> slot (pointwise templates have none).
    /// </summary>
    public static PromptTemplate For(TaskKind task, bool pointwise = false, bool queryVector = false) => (task, pointwise) switch
    {
        (TaskKind.Recommendation, false) when queryVector => RecommendationWithQueryVector,
        (TaskKind.Search, false) when queryVector => SearchWithQueryVector,
        (TaskKind.Recommendation, false) => Recommendation,
        (TaskKind.Search, false) => Search,
        (TaskKind.Recommendation, true) => PointwiseRecommendation,
        (TaskKind.Search, true) => PointwiseSearch,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Expected Recommendation or Search."),
    };
}
