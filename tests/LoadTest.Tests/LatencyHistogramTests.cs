namespace Csms.LoadTest.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_one_percent_of_the_exact_values()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.InRange(histogram.PercentileMs(50), 500 * 0.99, 500 * 1.01);
        Assert.InRange(histogram.PercentileMs(90), 900 * 0.99, 900 * 1.01);
        Assert.InRange(histogram.PercentileMs(99), 990 * 0.99, 990 * 1.01);
        Assert.Equal(1000, histogram.MaxMs, 3);
        Assert.Equal(1000, histogram.Count);
    }

    [Fact]
    public void A_rare_slow_answer_shows_in_p99_9_and_max_but_not_in_the_median()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 999; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(2));
        }
        histogram.Record(TimeSpan.FromSeconds(3));

        Assert.InRange(histogram.PercentileMs(50), 1.98, 2.02);
        Assert.InRange(histogram.PercentileMs(100), 2990, 3000);
        Assert.Equal(3000, histogram.MaxMs, 3);
    }

    [Fact]
    public void An_empty_histogram_reports_zeros() => Assert.Equal(0, new LatencyHistogram().PercentileMs(99));
}
