using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafetyPatrol.Devices;
using SafetyPatrol.Grains.History;
using SafetyPatrol.Grains.Storage;

namespace SafetyPatrol.Grains.Tests;

public sealed class HistoryRecorderTests
{
    [Fact]
    public async Task AFlushThatFailsMidwayWritesOnlyTheRestWithTheNextSoNoMinuteCountsTwice()
    {
        var time = new FakeTimeProvider(ClusterFixture.Start);
        var store = new FailingOnce(failCall: 2);
        var recorder = new HistoryRecorder(store, Options.Create(new HistoryOptions()), time, NullLogger<HistoryRecorder>.Instance);

        // More devices than one statement takes: the second statement fails.
        const int Devices = 2 * IHistoryStore.MinutesPerWrite + 50;
        for (var i = 0; i < Devices; i++)
        {
            recorder.For($"d{i}")!.Add(Readings.Of(time.GetUtcNow(), ("voltage", 220)));
        }

        await recorder.Flush();
        Assert.Equal(IHistoryStore.MinutesPerWrite, store.Written.Count);

        await recorder.Flush();
        Assert.Equal(Enumerable.Range(0, Devices).Select(i => ($"d{i}", 1L)).Order(),
            store.Written.GroupBy(m => m.DeviceId).Select(g => (g.Key, g.Sum(m => m.Count))).Order());
    }

    /// <summary>Keeps what it is given, except on one call, which fails as a store that went away does.</summary>
    private sealed class FailingOnce(int failCall) : IHistoryStore
    {
        private int _calls;

        public List<MinuteAggregate> Written { get; } = [];

        public Task AddMinutes(IReadOnlyList<MinuteAggregate> minutes)
        {
            if (++_calls == failCall)
            {
                throw new StoreUnavailableException("the store went away");
            }

            Written.AddRange(minutes);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<MinuteAggregate>> QueryMinutes(string deviceId, string metric, DateTimeOffset from, DateTimeOffset to) =>
            throw new NotSupportedException();

        public Task<int> PruneHistory(DateTimeOffset before) => throw new NotSupportedException();
    }
}
