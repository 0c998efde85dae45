// Coyote runs and the runtime's hooks are process-wide: one test at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
