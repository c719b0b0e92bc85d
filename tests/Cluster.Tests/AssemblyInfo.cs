// Each test class runs its own cluster of real processes; one at a time keeps a 2-core machine from
// starving the membership timings the tests depend on.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
