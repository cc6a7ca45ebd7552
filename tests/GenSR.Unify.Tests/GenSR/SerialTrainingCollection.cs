namespace GenSR.Unify.Tests.GenSR;

/// <summary>
/// Test classes that train or build models and assert what was learned run one after another: torch's default generator
/// (dropout, initialisation through manual_seed) is one per process, so a class running beside another changes the
/// other's random draws and with them its learning curve.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SerialTrainingCollection
{
    public const string Name = "Training that shares torch's default generator";
}
