package io.janela.metrics.summary;

import io.janela.metrics.state.SketchState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable summary of durations (ms) that answers quantiles within a known relative error: the DDSketch idea
 * (Masson, Rim and Lee, VLDB 2019). A value v >= 1 ms falls in bin ceil(log_γ v) with γ = (1 + α) / (1 − α); a
 * bin stands for the value 2γ^i / (γ + 1), which is within α of every value in it. Sub-millisecond values share bin
 * 0. Count, sum, minimum and maximum are exact, and quantiles are clamped to the exact minimum and maximum.
 *
 * <p>So a quantile it returns is within {@link #RELATIVE_ACCURACY} (1 %), or 1 ms, of the exact nearest-rank
 * quantile of the values added, however many sketches were merged. Its size grows with the spread of the values, not
 * their number: one second to one day is about 570 bins at most.
 */
final class QuantileSketch {

    static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final TreeMap<Integer, Long> bins = new TreeMap<>();
    private long count;
    private long sum;
    private long min;
    private long max;

    static QuantileSketch of(SketchState state) {
        QuantileSketch sketch = new QuantileSketch();
        sketch.merge(state);
        return sketch;
    }

    void add(long millis) {
        long value = Math.max(0, millis);
        bins.merge(index(value), 1L, Long::sum);
        min = count == 0 ? value : Math.min(min, value);
        max = count == 0 ? value : Math.max(max, value);
        count++;
        sum += value;
    }

    void merge(SketchState other) {
        if (other.getCount() == 0) {
            return;
        }
        min = count == 0 ? other.getMinMillis() : Math.min(min, other.getMinMillis());
        max = count == 0 ? other.getMaxMillis() : Math.max(max, other.getMaxMillis());
        count += other.getCount();
        sum += other.getSumMillis();
        List<Integer> indexes = other.getBinIndexes();
        List<Long> counts = other.getBinCounts();
        for (int i = 0; i < indexes.size(); i++) {
            bins.merge(indexes.get(i), counts.get(i), Long::sum);
        }
    }

    long count() {
        return count;
    }

    long sum() {
        return sum;
    }

    /**
     * The nearest-rank quantile q (0 < q <= 1): a value v_k with k = ceil(q · count) in the sorted values, within the
     * sketch's accuracy; null when the sketch is empty.
     */
    Long quantile(double q) {
        if (count == 0) {
            return null;
        }
        if (q <= 0 || q > 1) {
            throw new IllegalArgumentException("a quantile is in (0, 1]: " + q);
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (Map.Entry<Integer, Long> bin : bins.entrySet()) {
            seen += bin.getValue();
            if (seen >= rank) {
                long value = Math.round(representative(bin.getKey()));
                return Math.clamp(value, min, max);
            }
        }
        return max;
    }

    SketchState toState() {
        List<Integer> indexes = new ArrayList<>(bins.size());
        List<Long> counts = new ArrayList<>(bins.size());
        for (Map.Entry<Integer, Long> bin : bins.entrySet()) {
            indexes.add(bin.getKey());
            counts.add(bin.getValue());
        }
        return new SketchState(count, sum, min, max, indexes, counts);
    }

    static SketchState emptyState() {
        return new QuantileSketch().toState();
    }

    private static int index(long value) {
        return value <= 1 ? 0 : (int) Math.ceil(Math.log(value) / LOG_GAMMA);
    }

    private static double representative(int index) {
        return index == 0 ? 1 : 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
    }
}
