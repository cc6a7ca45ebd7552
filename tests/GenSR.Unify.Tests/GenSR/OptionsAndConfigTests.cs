
namespace GenSR.Unify.Tests.GenSR;

public sealed class OptionsAndConfigTests
{
    [Fact]
    public void Model_config_round_trips_through_json()
    {
        var config = new GenSRModelConfig
        {
            Backbone = T5Config.Small(300, 64, 1),
            ItemCount = 42,
            CollaborativeDimension = 16,
            UseSemanticView = false,
            TitleTokens = 7,
        };
        var back = GenSRModelConfig.FromJson(config.ToJson());
        Assert.Equal(config.ToJson().ToJsonString(), back.ToJson().ToJsonString());
        Assert.False(back.UseSemanticView);
        Assert.Equal(300, back.Backbone.VocabSize);
    }

    [Fact]
    public void Malformed_model_config_names_the_field()
    {
        var json = new GenSRModelConfig { Backbone = T5Config.Small(300, 64, 1), ItemCount = 42 }.ToJson();
        json["item_count"] = "many";
        var e = Assert.Throws<InvalidDataException>(() => GenSRModelConfig.FromJson(json, "test.json"));
        Assert.Contains("item_count", e.Message);
        Assert.Contains("test.json", e.Message);
    }

    [Theory]
    [InlineData("LearningRate")]
    [InlineData("BatchSize")]
    [InlineData("Temperature")]
    [InlineData("PointwiseFraction")]
    [InlineData("WarmupSteps")]
    [InlineData("IndexingFraction")]
    [InlineData("MaxSteps")]
    [InlineData("MaxDuration")]
    public void Bad_training_options_name_the_option(string option)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => option switch
        {
            "LearningRate" => new GenSRTrainingOptions { LearningRate = 0 },
            "BatchSize" => new GenSRTrainingOptions { BatchSize = 1 },
            "Temperature" => new GenSRTrainingOptions { Temperature = -1 },
            "PointwiseFraction" => new GenSRTrainingOptions { PointwiseFraction = 2 },
            "IndexingFraction" => new GenSRTrainingOptions { IndexingFraction = -0.5 },
            "MaxSteps" => new GenSRTrainingOptions { MaxSteps = 0 },
            "MaxDuration" => new GenSRTrainingOptions { MaxDuration = TimeSpan.Zero },
            _ => new GenSRTrainingOptions { WarmupSteps = -1 },
        });
        Assert.Contains(option, e.Message);
    }

    [Fact]
    public void Defaults_follow_the_paper()
    {
        var o = new GenSRTrainingOptions();
        Assert.Equal(0.01, o.ContrastiveWeight);
        Assert.Equal(0.07, o.Temperature);
        Assert.Equal(1.0, o.MaxGradNorm);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenSREvaluationOptions { Beams = 10 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GenSRPipelineOptions { ModelDimension = 100 });
    }
}
