using GenSR.Serving;

// The GenSR serving sample. With --demo (and no GenSR:CheckpointPath), a small model is first trained on the embedded demo
// data into the temporary folder gensr-serving-demo; otherwise give the checkpoint folder: --GenSR:CheckpointPath=<folder>.
var demo = args.Contains("--demo");
args = args.Where(a => a != "--demo").ToArray();
var app = ServingApp.Build(args, builder =>
{
    if (!demo || !string.IsNullOrWhiteSpace(builder.Configuration["GenSR:CheckpointPath"])) return;
    var folder = Path.Combine(Path.GetTempPath(), "gensr-serving-demo");
    Console.WriteLine($"Training the demo model into {folder} (skipped when it is already there)...");
    ServingApp.PrepareDemoCheckpoint(folder);
    builder.Configuration["GenSR:CheckpointPath"] = folder;
});
app.Run();
