using GenSR.Core;

namespace GenSR.Evaluation.Tests.Harness;

/// <summary>Base of the test systems: serves both tasks and trains nothing.</summary>
internal abstract class FakeSystem(string name) : IEvaluatedSystem
{
    public string Name => name;

    public List<EvaluationCase> CasesSeen { get; } = [];

    public bool Supports(TaskKind task) => true;

    public SystemTrainingResult Train(DatasetSplit split, EvaluationContext context) => SystemTrainingResult.NotTrained;

    public void Dispose()
    {
    }
}

/// <summary>Scores every item with a function of (case, item).</summary>
internal sealed class FunctionScorer(string name, int catalogSize, Func<EvaluationCase, int, float> score) : FakeSystem(name), ICatalogScorer
{
    public void ScoreCatalog(TaskKind task, IReadOnlyList<EvaluationCase> cases, Span<float> scores)
    {
        CasesSeen.AddRange(cases);
        for (var row = 0; row < cases.Count; row++)
            for (var item = 0; item < catalogSize; item++)
                scores[row * catalogSize + item] = score(cases[row], item);
    }
}

/// <summary>Scores only given candidates, with a function of (case, item); records the candidate rows.</summary>
internal sealed class CandidateFunctionScorer(string name, Func<EvaluationCase, int, float> score) : FakeSystem(name), ICandidateScorer
{
    public List<int[]> Rows { get; } = [];

    public void ScoreCandidates(TaskKind task, IReadOnlyList<EvaluationCase> cases, ReadOnlySpan<int> candidates, int candidatesPerCase, Span<float> scores)
    {
        CasesSeen.AddRange(cases);
        for (var row = 0; row < cases.Count; row++)
        {
            Rows.Add(candidates.Slice(row * candidatesPerCase, candidatesPerCase).ToArray());
            for (var c = 0; c < candidatesPerCase; c++)
                scores[row * candidatesPerCase + c] = score(cases[row], candidates[row * candidatesPerCase + c]);
        }
    }
}

/// <summary>Returns a generated list per case from a function of the case; records the requests.</summary>
internal sealed class ListGenerator(string name, Func<EvaluationCase, IReadOnlyList<int>> generate) : FakeSystem(name), ITopKGenerator
{
    public List<GenerationRequest> Requests { get; } = [];

    public IReadOnlyList<IReadOnlyList<int>> Generate(TaskKind task, IReadOnlyList<EvaluationCase> cases, GenerationRequest request)
    {
        Requests.Add(request);
        CasesSeen.AddRange(cases);
        return cases.Select(generate).ToArray();
    }
}
