using System.Globalization;

namespace GenSR.Core;

/// <summary>Summary statistics of a dataset.</summary>
/// <param name="Users">Number of users.</param>
/// <param name="Items">Number of items in the catalogue.</param>
/// <param name="Events">Number of events (search and recommendation).</param>
/// <param name="SearchEvents">Number of search events.</param>
/// <param name="AverageHistoryLength">Mean number of events per user.</param>
/// <param name="ItemsWithEmptyTitle">Items whose title is empty.</param>
public sealed record DatasetStatistics(int Users, int Items, int Events, int SearchEvents, double AverageHistoryLength, int ItemsWithEmptyTitle)
{
    /// <summary>One line: users, items, events, search events, average history length.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"users={Users} items={Items} events={Events} search_events={SearchEvents} avg_history={AverageHistoryLength:F2} empty_titles={ItemsWithEmptyTitle}");
}
