package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {

    private static final double[] QUANTILES = {0.01, 0.1, 0.5, 0.9, 0.99, 1.0};

    @Test
    void quantilesAreWithinOnePercentOfTheExactNearestRankOnesFromSecondsToADay() {
        SplittableRandom random = new SplittableRandom(42);
        long[] values = new long[20_000];
        QuantileSketch sketch = new QuantileSketch();
        for (int i = 0; i < values.length; i++) {
            // Log-uniform from 1 s to 24 h, as response times spread.
            values[i] = (long) Math.exp(random.nextDouble(Math.log(1_000), Math.log(86_400_000)));
            sketch.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : QUANTILES) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat((double) sketch.quantile(q))
                    .as("p%s", q * 100)
                    .isBetween(
                            exact * (1 - QuantileSketch.RELATIVE_ACCURACY) - 1,
                            exact * (1 + QuantileSketch.RELATIVE_ACCURACY) + 1);
        }
        assertThat(sketch.count()).isEqualTo(values.length);
        assertThat(sketch.sum()).isEqualTo(Arrays.stream(values).sum());
    }

    @Test
    void mergedSketchesAnswerAsOneSketchOfAllValues() {
        QuantileSketch whole = new QuantileSketch();
        QuantileSketch left = new QuantileSketch();
        QuantileSketch right = new QuantileSketch();
        for (long value = 1; value <= 1_000; value++) {
            whole.add(value * 997);
            (value % 2 == 0 ? left : right).add(value * 997);
        }
        QuantileSketch merged = QuantileSketch.of(left.toState());
        merged.merge(right.toState());

        for (double q : QUANTILES) {
            assertThat(merged.quantile(q)).isEqualTo(whole.quantile(q));
        }
        assertThat(merged.toState()).isEqualTo(whole.toState());
    }

    @Test
    void quantilesStayWithinTheExactMinimumAndMaximum() {
        QuantileSketch sketch = new QuantileSketch();
        sketch.add(42_000);

        assertThat(sketch.quantile(0.5)).isEqualTo(42_000);
        assertThat(sketch.quantile(0.99)).isEqualTo(42_000);
    }

    @Test
    void anEmptySketchHasNoQuantileAndZeroAndNegativeValuesCountAsZero() {
        QuantileSketch sketch = new QuantileSketch();
        assertThat(sketch.quantile(0.5)).isNull();

        sketch.add(0);
        sketch.add(-5);
        assertThat(sketch.quantile(1.0)).isZero();
        assertThatThrownBy(() -> sketch.quantile(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
