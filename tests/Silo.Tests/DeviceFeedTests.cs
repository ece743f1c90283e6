using Microsoft.Extensions.Time.Testing;
using SafetyPatrol.Devices;
using SafetyPatrol.Silo.Hosting;
using SafetyPatrol.Silo.Mqtt;

namespace SafetyPatrol.Silo.Tests;

/// <summary>A device's readings on their way to its grain: at once when quiet, together at the next tick when fast.</summary>
public sealed class DeviceFeedTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeDevice _device = new();
    private readonly FeedPacer _pacer;
    private readonly List<int> _taken = [];
    private readonly List<int> _failed = [];
    private readonly DeviceFeed _feed;

    public DeviceFeedTests()
    {
        _pacer = new FeedPacer(Tick, _time);
        _feed = new DeviceFeed("meter", _device, _pacer, n => { lock (_taken) { _taken.Add(n); } }, (_, n) => { lock (_failed) { _failed.Add(n); } });
    }

    public void Dispose() => _pacer.Dispose();

    [Fact]
    public async Task AQuietDevicesReadingGoesAtOnceAndFasterOnesWaitForTheNextTickAndGoTogether()
    {
        Assert.True(_feed.Send(Voltage(1), untilTaken: false).IsCompletedSuccessfully);
        Assert.Equal([[1.0]], _device.Batches);

        // Within a tick of that call, at QoS 0: they wait for the tick, without holding their sender back.
        Assert.True(_feed.Send(Voltage(2), untilTaken: false).IsCompletedSuccessfully);
        Assert.True(_feed.Send(Voltage(3), untilTaken: false).IsCompletedSuccessfully);
        _time.Advance(Tick - TimeSpan.FromMilliseconds(1));
        Assert.Single(_device.Batches);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await _device.Called.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await _device.Called.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([[1.0], [2.0, 3.0]], _device.Batches);
        Assert.Equal([1, 2], _taken);

        // Quiet for a tick: at once again.
        _time.Advance(Tick);
        Assert.True(_feed.Send(Voltage(4), untilTaken: true).IsCompletedSuccessfully);
        Assert.Equal([4.0], _device.Batches[^1]);
    }

    [Fact]
    public void AReadingSomeoneWaitsForNeverWaitsForATick()
    {
        // A QoS 1 device sends its next reading as soon as the last is acknowledged: each goes at once.
        Assert.All(Enumerable.Range(1, 3).Select(i => _feed.Send(Voltage(i), untilTaken: true)).ToList(), t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([[1.0], [2.0], [3.0]], _device.Batches);

        // A QoS 0 reading waiting for the tick goes at once with the QoS 1 one behind it, and before a status message.
        Assert.True(_feed.Send(Voltage(4), untilTaken: false).IsCompletedSuccessfully);
        Assert.True(_feed.Send(Voltage(5), untilTaken: true).IsCompletedSuccessfully);
        Assert.True(_feed.Send(Voltage(6), untilTaken: false).IsCompletedSuccessfully);
        Assert.True(_feed.Drained().IsCompletedSuccessfully);
        Assert.Equal([[1.0], [2.0], [3.0], [4.0, 5.0], [6.0]], _device.Batches);
    }

    [Fact]
    public async Task ASenderWaitsForTheGrainWhileItsCallIsOutAndWhenTooManyReadingsWait()
    {
        var answer = new TaskCompletionSource();
        _device.Answer = _ => answer.Task;
        var first = _feed.Send(Voltage(0), untilTaken: true);
        Assert.False(first.IsCompleted);

        var queued = Enumerable.Range(1, DeviceFeed.MaxWaiting).Select(i => _feed.Send(Voltage(i), untilTaken: false)).ToList();
        Assert.All(queued[..^1], t => Assert.True(t.IsCompletedSuccessfully));
        Assert.False(queued[^1].IsCompleted);

        _device.Answer = _ => Task.CompletedTask;
        answer.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(Tick);
        await queued[^1].WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, DeviceFeed.MaxWaiting], _device.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task ReadingsLostWithNobodyWaitingAreOwnedUpToOnceAndAWaitingSenderGetsTheFailure()
    {
        _device.Answer = _ => Task.FromException(new TimeoutException("silo gone"));

        Assert.True(_feed.Send(Voltage(1), untilTaken: false).IsCompletedSuccessfully);
        Assert.True(_feed.TakeLoss());
        Assert.False(_feed.TakeLoss());

        _time.Advance(Tick);
        var waited = _feed.Send(Voltage(2), untilTaken: true);
        await Assert.ThrowsAsync<TimeoutException>(() => waited.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(_feed.TakeLoss());
        Assert.Equal([1, 1], _failed);
        Assert.Empty(_taken);
    }

    [Fact]
    public void ZeroSendsEveryReadingAtOnceAndABatchSettingOutOfRangeFailsTheStartNamingIt()
    {
        using var unpaced = new FeedPacer(TimeSpan.Zero, _time);
        var feed = new DeviceFeed("meter", _device, unpaced, _ => { }, (_, _) => { });
        Assert.True(feed.Send(Voltage(1), untilTaken: true).IsCompletedSuccessfully);
        Assert.True(feed.Send(Voltage(2), untilTaken: true).IsCompletedSuccessfully);
        Assert.Equal([[1.0], [2.0]], _device.Batches);

        var problems = new SafetyPatrol.Web.SafetyPatrolOptions { Demo = true, Mqtt = { BatchMilliseconds = 500 } }.Problems(SafetyPatrol.Web.SettingsUse.Node);
        Assert.Contains(problems, f => f.StartsWith("SafetyPatrol:Mqtt:BatchMilliseconds is 500; it is 0", StringComparison.Ordinal));
    }

    private Reading Voltage(double value) => new(_time.GetUtcNow(), new Dictionary<string, MetricValue> { ["voltage"] = MetricValue.Of(value) });

    private sealed class FakeDevice : IDeviceGrain
    {
        private readonly List<List<double>> _batches = [];

        /// <summary>Released once per call.</summary>
        public SemaphoreSlim Called { get; } = new(0);

        public Func<IReadOnlyList<Reading>, Task> Answer { get; set; } = _ => Task.CompletedTask;

        public List<List<double>> Batches
        {
            get { lock (_batches) { return [.. _batches]; } }
        }

        public Task ReportAll(IReadOnlyList<Reading> readings)
        {
            lock (_batches)
            {
                _batches.Add([.. readings.Select(r => r.Metrics["voltage"].Number!.Value)]);
            }

            Called.Release();

            return Answer(readings);
        }

        public Task Report(Reading reading) => throw new NotSupportedException();

        public Task ReportStatus(bool online) => throw new NotSupportedException();

        public Task Start() => throw new NotSupportedException();

        public Task ConnectedTo(SiloAddress node) => throw new NotSupportedException();

        public Task Reload() => throw new NotSupportedException();

        public Task<DeviceStatus?> GetStatus() => throw new NotSupportedException();

        public Task OnDeadline() => throw new NotSupportedException();

        public Task ArmingChanged(bool armed) => throw new NotSupportedException();
    }
}
