using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using ClusterHosting;

namespace Grains.Tests;

public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId Session = GrainId.Create("session", "storage-test");

    [Fact]
    public async Task A_write_is_read_back_as_a_copy_and_a_stale_etag_is_refused()
    {
        var storage = NewStorage();
        var first = new GrainState<SessionState>(new SessionState { Exists = true, EchoedMessages = 3 });

        await storage.WriteStateAsync("session", Session, first);
        var read = new GrainState<SessionState>(new SessionState());
        await storage.ReadStateAsync("session", Session, read);
        read.State!.EchoedMessages = 4;
        var stale = new GrainState<SessionState>(new SessionState()) { ETag = "not-the-stored-one", RecordExists = true };

        Assert.True(read.RecordExists);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(3, first.State!.EchoedMessages);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("session", Session, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("session", Session, new GrainState<SessionState>(new SessionState())));
        await storage.WriteStateAsync("session", Session, read);
        Assert.NotEqual(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_cleared_state_reads_as_absent()
    {
        var storage = NewStorage();
        var state = new GrainState<SessionState>(new SessionState { Exists = true });
        await storage.WriteStateAsync("session", Session, state);

        await storage.ClearStateAsync("session", Session, state);
        var read = new GrainState<SessionState>(new SessionState());
        await storage.ReadStateAsync("session", Session, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.False(read.State!.Exists);
    }

    private static InProcessGrainStorage NewStorage()
    {
        var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(SessionState).Assembly)).BuildServiceProvider();
        return new InProcessGrainStorage(new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
    }
}
