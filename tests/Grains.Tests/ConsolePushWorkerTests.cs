using System.Threading.Channels;
using SafetyPatrol.Push;

namespace SafetyPatrol.Grains.Tests;

/// <summary>Each silo's push worker (ConsolePushGrain): it finds the web hosts on its own and opens the way to each before its first event.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsolePushWorkerTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AWebHostNewToTheWorkersListIsSentAnEmptyBatchBeforeAnyEventAndThenEveryEvent()
    {
        var host = new RecordingHost();
        var reference = fixture.Grains.CreateObjectReference<IConsoleObserver>(host);
        try
        {
            await fixture.Grains.GetGrain<IConsoleHubListGrain>(0).Register("test-" + Guid.NewGuid().ToString("N"), reference);
            await fixture.Grains.GetGrain<IConsolePushGrain>(0).Prepare();

            // Nothing is pushed: the worker asks for the list by itself, and the host it had not known is sent an empty batch.
            Assert.Empty(await host.Next());

            var consoleEvent = new ConsoleEvent(ConsoleEvent.AlertUpdated, "payload", "push-worker-test", 1);
            await fixture.Grains.GetGrain<IConsolePushGrain>(0).Push(consoleEvent);
            Assert.Equal(consoleEvent, Assert.Single(await host.Next()));
        }
        finally
        {
            fixture.Grains.DeleteObjectReference<IConsoleObserver>(reference);
        }
    }

    private sealed class RecordingHost : IConsoleObserver
    {
        private readonly Channel<IReadOnlyList<ConsoleEvent>> _batches = Channel.CreateUnbounded<IReadOnlyList<ConsoleEvent>>();

        public Task OnEvents(IReadOnlyList<ConsoleEvent> events) => _batches.Writer.WriteAsync(events).AsTask();

        public Task<IReadOnlyList<ConsoleEvent>> Next() => _batches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
