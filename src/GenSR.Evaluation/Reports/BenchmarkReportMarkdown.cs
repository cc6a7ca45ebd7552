using System.Globalization;
using System.Text;
using GenSR.Core;

namespace GenSR.Evaluation;

/// <summary>Renders a <see cref="BenchmarkReport"/> as Markdown.</summary>
internal static class BenchmarkReportMarkdown
{
    public static string Render(BenchmarkReport report)
    {
        var sb = new StringBuilder();
        var s = report.Statistics;
        sb.AppendLine($"# Evaluation on {report.Dataset}");
        sb.AppendLine();
        sb.AppendLine(Invariant($"- **Dataset**: {report.Dataset}: {s.Users:N0} users, {s.Items:N0} items, {s.Events:N0} events ") +
            Invariant($"({s.SearchEvents:N0} search events), {s.AverageHistoryLength:F2} events per user, {s.ItemsWithEmptyTitle:N0} items without a title."));
        sb.AppendLine($"- **Queries**: {report.Queries}.");
        sb.AppendLine(Invariant($"- **Split**: {report.Split}. {report.ValidationCases:N0} validation cases and {report.TestCases:N0} test cases (users); ") +
            "each case is evaluated in every task a system serves.");
        sb.AppendLine(
            $"- **Model selection**: on the validation cases only (early stopping on validation NDCG@10); the test cases are ranked once, after training.");
        sb.AppendLine($"- **Device**: {report.Device}. **Seeds**: {string.Join(", ", report.Seeds)} " +
            $"({(report.Seeds.Count > 1 ? "mean ± sample standard deviation over seeds" : "one run per system")}).");
        if (report.CommandLine is not null)
        {
            // A merged report keeps the command of every part, one per line.
            var commands = report.CommandLine.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            sb.AppendLine(commands.Length == 1
                ? $"- **Command**: `{commands[0]}`"
                : $"- **Commands** (one report merged from {commands.Length} runs): {string.Join("; ", commands.Select(c => $"`{c}`"))}");
        }
        sb.AppendLine($"- **Created**: {report.Created.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}.");
        sb.AppendLine();

        var columns = report.Cutoffs.SelectMany(k => new[] { TaskMetrics.NameOf(RankingMetric.Recall, k), TaskMetrics.NameOf(RankingMetric.Ndcg, k) })
                            .Append(TaskMetrics.NameOf(RankingMetric.Mrr, report.Cutoffs[^1])).ToArray();
        foreach (var (protocol, description) in report.Protocols)
        {
            sb.AppendLine($"## {Capitalise(EvaluationReport.DescribeProtocol(protocol))}");
            sb.AppendLine();
            sb.AppendLine($"{Capitalise(description)}.");
            sb.AppendLine();
            foreach (var task in Enum.GetValues<TaskKind>())
            {
                var rows = report.Systems
                    .Select(system => (system.Name, Values: columns.Select(c => system.Summarize(protocol, task, c)).ToArray()))
                    .Where(row => row.Values.Any(v => v is not null))
                    .ToArray();
                var published = report.Published.Where(p => p.Protocol == protocol && p.Task == task).ToArray();
                if (rows.Length == 0) continue;
                sb.AppendLine(Invariant($"### {task} ({report.TestCases:N0} test cases)"));
                sb.AppendLine();
                sb.Append("| System |");
                foreach (var c in columns) sb.Append(' ').Append(c).Append(" |");
                sb.AppendLine();
                sb.Append("|---|");
                foreach (var _ in columns) sb.Append("---:|");
                sb.AppendLine();
                var best = columns.Select((_, i) => rows.Max(r => r.Values[i]?.Mean ?? double.NegativeInfinity)).ToArray();
                foreach (var (name, values) in rows)
                {
                    sb.Append("| ").Append(name).Append(" |");
                    for (var i = 0; i < columns.Length; i++)
                    {
                        var v = values[i];
                        var text = v?.ToString() ?? "–";
                        // Bold the best mean of a column when it is not shared by every row.
                        if (v is not null && rows.Length > 1 && v.Mean == best[i] && rows.Any(r => (r.Values[i]?.Mean ?? double.NegativeInfinity) < best[i]))
                            text = $"**{text}**";
                        sb.Append(' ').Append(text).Append(" |");
                    }
                    sb.AppendLine();
                }
                // Published rows: the papers' own figures, never rerun and never marked best.
                foreach (var p in published)
                {
                    sb.Append("| ").Append(p.System).Append(" (published: ").Append(p.Source).Append(") |");
                    foreach (var c in columns)
                        sb.Append(' ').Append(p.Metrics.TryGetValue(c, out var x) ? x.ToString("F4", CultureInfo.InvariantCulture) : "–").Append(" |");
                    sb.AppendLine();
                }
                sb.AppendLine();
                if (published.Length > 0)
                {
                    sb.AppendLine("Rows marked *published* are the cited papers' figures for the same data and protocol, copied as published (not rerun " +
                        "here); bold marks the best measured row.");
                    sb.AppendLine();
                }
            }
        }

        sb.AppendLine("## Systems and training");
        sb.AppendLine();
        sb.AppendLine("| System | Tasks | Ranked from | Seed | Epochs | Selected epoch | Validation score | Training (s) | Test ranking (s) |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var system in report.Systems)
        {
            var protocols = system.Runs.Count == 0 || system.Runs[0].Reports.Count == 0
                ? "none"
                : string.Join("; ", system.Runs[0].Reports.Select(r => $"{ShortName(r.Protocol)}: {Method(r)}"));
            foreach (var run in system.Runs)
            {
                var t = run.Training;
                var validation = t.ValidationScore is { } v ? Invariant($"{v:F4} ({t.ValidationMetric})") : "–";
                var epochs = t.Epochs == 0 ? "–" : t.StoppedEarly ? Invariant($"{t.Epochs} (early stop)") : Invariant($"{t.Epochs}");
                var selected = t.SelectedEpoch == 0 ? "–" : t.SelectedEpoch.ToString(CultureInfo.InvariantCulture);
                sb.AppendLine(Invariant($"| {system.Name} | {string.Join(", ", system.Tasks)} | {protocols} | {run.Seed} | ") +
                    Invariant($"{epochs} | {selected} | {validation} | {run.TrainingSeconds:F1} | {run.EvaluationSeconds:F1} |"));
            }
        }
        sb.AppendLine();
        var trainingNotes = report.Systems.SelectMany(system => system.Runs.Where(r => r.Training.Note is not null)
                                                                  .Select(r => $"{system.Name}, seed {r.Seed}: {r.Training.Note}"));
        var notes = report.Notes.Concat(trainingNotes).Distinct().ToArray();
        if (notes.Length > 0)
        {
            sb.AppendLine("## Notes");
            sb.AppendLine();
            foreach (var note in notes) sb.Append("- ").AppendLine(note);
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string ShortName(EvaluationProtocol protocol) => protocol == EvaluationProtocol.FullRanking ? "full" : "sampled";

    private static string Method(EvaluationReport report) =>
        report.Extra.TryGetValue(BenchmarkRunner.RankingMethodKey, out var text)
            // Reports written before the identifiers took one spelling name the methods "Catalogue…".
            && Enum.TryParse<RankingMethod>(text.Replace("Catalogue", "Catalog", StringComparison.Ordinal), out var method)
            ? method switch
            {
                RankingMethod.CatalogScores => "catalogue scores",
                RankingMethod.GeneratedList => "generated lists",
                RankingMethod.CandidateScores => "candidate scores",
                RankingMethod.CatalogScoresAtCandidates => "catalogue scores at the candidates",
                _ => text,
            }
            : "–";

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
