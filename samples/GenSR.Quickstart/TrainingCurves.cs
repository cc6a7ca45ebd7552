using GenSR.Unify.Training;

namespace GenSR.Quickstart;

/// <summary>Draws the training curves (loss per step, validation NDCG@10 on a second axis) into a PNG.</summary>
internal static class TrainingCurves
{
    public static void Save(IReadOnlyList<TrainingProgress> history, string path)
    {
        var plot = new ScottPlot.Plot();
        var steps = history.Select(h => (double)h.Step).ToArray();
        var loss = plot.Add.Scatter(steps, history.Select(h => h.LanguageModelLoss).ToArray());
        loss.LegendText = "training loss (token cross-entropy)";
        loss.MarkerSize = 0;
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
