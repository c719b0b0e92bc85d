namespace Cluster.Tests;

/// <summary>The assembly runs two lanes side by side (see AssemblyInfo.cs); a test class outside both would be a third.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class LaneTests
{
    [Fact]
    public void Every_test_class_runs_in_one_of_the_two_lanes()
    {
        string[] lanes = [DrillCollection.Name, RunningClusterCollection.Name];
        var outside = typeof(LaneTests).Assembly.GetTypes()
            .Where(type => type.GetMethods().Any(method => method.IsDefined(typeof(FactAttribute), inherit: true)))
            .Where(type => !type.GetCustomAttributesData()
                .Where(attribute => attribute.AttributeType == typeof(CollectionAttribute))
                .Any(attribute => lanes.Contains(attribute.ConstructorArguments[0].Value as string)))
            .Select(type => type.Name)
            .ToList();

        Assert.Empty(outside);
    }
}
