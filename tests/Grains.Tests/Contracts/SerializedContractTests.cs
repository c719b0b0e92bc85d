using Grains.Abstractions;

namespace Grains.Tests.Contracts;

/// <summary>
/// Grain calls and stored session state are read by builds older and newer than this one. A change to a contract's
/// shape (a reordered enum, a member whose id or type changed, a renamed alias) must be a deliberate act: it shows
/// here first, and the snapshot is updated by hand, in the same commit as a new id or alias.
/// </summary>
public sealed class SerializedContractTests
{
    private const string SnapshotFile = "Contracts/serialized-contracts.txt";

    [Fact]
    public void Serialized_contracts_keep_the_shape_of_the_checked_in_snapshot()
    {
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, SnapshotFile)).ReplaceLineEndings();
        var actual = ContractShape.Of(typeof(ISessionGrain).Assembly, typeof(SessionState).Assembly).ReplaceLineEndings();

        var received = Path.Combine(AppContext.BaseDirectory, SnapshotFile + ".received");
        if (actual != expected)
        {
            File.WriteAllText(received, actual);
        }

        Assert.True(actual == expected, $"A serialized contract changed shape. Compare {received} with tests/Grains.Tests/{SnapshotFile}; "
            + "if the change is compatible (a new member with a new id, a new type with its own alias), copy it over in the same commit.");
    }

    [Fact]
    public void Every_enum_in_the_contracts_is_serialized_under_an_alias()
    {
        var enums = typeof(ISessionGrain).Assembly.GetTypes().Where(type => type.IsEnum);

        Assert.All(enums, type => Assert.True(
            type.IsDefined(typeof(AliasAttribute), inherit: false) && type.IsDefined(typeof(GenerateSerializerAttribute), inherit: false),
            $"{type.Name} needs [GenerateSerializer, Alias]"));
    }
}
