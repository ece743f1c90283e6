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

            // The test pushes nothing: the worker asks for the list by itself, and the host it had not known is sent an empty
            // batch. (The other tests' grains may push events of their own meanwhile; the host gets those too.)
            await host.Next(batch => batch.Count == 0);

            var consoleEvent = new ConsoleEvent(ConsoleEvent.AlertUpdated, "payload", "push-worker-test", 1);
            await fixture.Grains.GetGrain<IConsolePushGrain>(0).Push(consoleEvent);
            Assert.Equal(consoleEvent, Assert.Single(await host.Next(batch => batch.Any(e => e.Key == consoleEvent.Key))));
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

        /// <summary>The next batch that is <paramref name="wanted"/>, within 10 s; the batches before it are passed over.</summary>
        public async Task<IReadOnlyList<ConsoleEvent>> Next(Func<IReadOnlyList<ConsoleEvent>, bool> wanted)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var batch = await _batches.Reader.ReadAsync(deadline.Token);
                if (wanted(batch))
                {
                    return batch;
                }
            }
        }
    }
}
