// Torch's random generator is process-wide: tests that check seeded reproducibility must not interleave with other
// tests drawing from it, and two cores gain nothing from running torch tests side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
