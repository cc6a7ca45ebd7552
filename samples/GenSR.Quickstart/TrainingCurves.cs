using GenSR.Unify;

namespace GenSR.Quickstart;

/// <summary>Draws the training curves (loss per step, validation NDCG@10 on a second axis) into a PNG.</summary>
internal static class TrainingCurves
{
    public static void Save(IReadOnlyList<TrainingProgress> history, string path)
    {
        var plot = new ScottPlot.Plot();
        // Batches hold one kind of row, so the identifier loss and the Yes/No loss are separate curves (one line through
        // both would jump between them at every step).
        foreach (var (pointwise, label) in new[] { (false, "identifier loss (token cross-entropy)"), (true, "Yes/No loss (pointwise rows)") })
        {
            var part = history.Where(h => h.PointwiseStep == pointwise).ToArray();
            if (part.Length == 0) continue;
            var loss = plot.Add.Scatter(part.Select(h => (double)h.Step).ToArray(), part.Select(h => h.LanguageModelLoss).ToArray());
            loss.LegendText = label;
            loss.MarkerSize = 0;
        }
        var validated = history.Where(h => h.ValidationNdcg10 is not null).ToArray();
        if (validated.Length > 0)
        {
            var ndcg = plot.Add.Scatter(validated.Select(h => (double)h.Step).ToArray(), validated.Select(h => h.ValidationNdcg10!.Value).ToArray());
            ndcg.LegendText = "validation NDCG@10 (full ranking, generative)";
            ndcg.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "validation NDCG@10";
        }

        plot.Axes.Bottom.Label.Text = "step";
        plot.Axes.Left.Label.Text = "loss";
        plot.Title("GenSR training");
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}
