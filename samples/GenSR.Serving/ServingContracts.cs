namespace GenSR.Serving;

/// <summary>One event of the user's history: the item's key and, for a search event, its query.</summary>
public sealed record EventDto(string Item, string? Query = null);

/// <summary>A recommendation request.</summary>
public sealed record RecommendRequest(IReadOnlyList<EventDto>? History, int K = 10, bool ExcludeSeen = true,
                                      IReadOnlyList<string>? Allowed = null, IReadOnlyList<string>? Denied = null);

/// <summary>A search request.</summary>
public sealed record SearchRequest(string Query, IReadOnlyList<EventDto>? History = null, int K = 10, bool ExcludeSeen = true,
                                   IReadOnlyList<string>? Allowed = null, IReadOnlyList<string>? Denied = null);

/// <summary>A request to score given candidates (with a query: for search; without: for recommendation).</summary>
public sealed record ScoreRequest(IReadOnlyList<string> Candidates, IReadOnlyList<EventDto>? History = null, string? Query = null);

/// <summary>One returned item.</summary>
public sealed record ItemDto(string Key, string Title, float Score);

/// <summary>The answer: items, best first.</summary>
public sealed record ItemsResponse(IReadOnlyList<ItemDto> Items);

/// <summary>The service's state.</summary>
public sealed record HealthResponse(string Status, int Items, string? CheckpointVersion);
