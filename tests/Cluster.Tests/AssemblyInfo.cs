// Two lanes run side by side, each one class at a time. DrillCollection: the drills that kill or pause a silo under
// load, whose membership timings a busy machine would stretch, each on a cluster of its own. RunningClusterCollection:
// the classes that share one running cluster and kill nothing of it, then the lighter drills on clusters of their own
// (Redis paused under a trickle of requests, one front end killed under one socket). Every test class belongs to one of
// the two (LaneTests): a class in neither would be a third lane, and on a 2-core machine more clusters at once would
// starve the timings the drills depend on.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
