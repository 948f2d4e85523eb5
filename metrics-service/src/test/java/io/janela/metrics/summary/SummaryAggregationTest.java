package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.janela.contract.ValueSerdes;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.streams.StoreCoders;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The summary step keeps the buckets it wrote decoded, and never trusts one whose write failed. */
class SummaryAggregationTest {

    private static final Duration BUCKET = Duration.ofMinutes(5);
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    /** The store as the processor sees it (counting its calls), and as the test reads it. */
    private WindowStore<String, SummaryBucket> store;

    private WindowStore<String, SummaryBucket> raw;
    private SummaryAggregation aggregation;

    @BeforeEach
    void start() {
        StoreCoders.enable();
        ValueSerdes serdes = ValueSerdes.janela(Map.of("schema.registry.url", "mock://summary-aggregation-test"));
        WindowStore<String, SummaryBucket> built = Stores.windowStoreBuilder(
                        Stores.inMemoryWindowStore(SummaryStream.STORE, Duration.ofDays(35), BUCKET, false),
                        Serdes.String(),
                        serdes.forType(SummaryBucket.class))
                .withLoggingDisabled()
                .withCachingDisabled()
                .build();
        built.init(context.getStateStoreContext(), built);
        raw = built;
        store = spy(built);
        context.addStateStore(store);
        aggregation = new SummaryAggregation(SummaryStream.STORE, new SummarySettings(BUCKET, Duration.ofDays(35)));
        aggregation.init(context);
    }

    @AfterEach
    void close() {
        raw.close();
    }

    @Test
    void aBusyNumbersBucketIsReadFromTheStoreOnceNotOncePerMeasurement() {
        for (int i = 0; i < 50; i++) {
            deliver("survey-" + i, AT.plusSeconds(i));
        }

        assertThat(stored().getSurveysDelivered()).isEqualTo(50);
        verify(store, times(1)).fetch(MetaRecords.PHONE_NUMBER_ID, AT.toEpochMilli());
        verify(store, times(50)).put(anyString(), any(SummaryBucket.class), anyLong());
    }

    @Test
    void aBucketWhoseWriteFailedIsReadAgainFromTheStoreNotTakenFromMemory() {
        deliver("survey-1", AT);
        doThrow(new IllegalStateException("the store refused the write"))
                .doCallRealMethod()
                .when(store)
                .put(anyString(), any(SummaryBucket.class), anyLong());
        assertThatThrownBy(() -> deliver("survey-2", AT.plusSeconds(1))).isInstanceOf(IllegalStateException.class);

        deliver("survey-3", AT.plusSeconds(2));

        assertThat(stored().getSurveysDelivered())
                .as("the first and third: the second, changed in memory but never stored, does not count")
                .isEqualTo(2);
    }

    @Test
    void aTaskThatStartsAgainReadsItsBucketsFromTheStore() {
        deliver("survey-1", AT);
        aggregation.init(context);

        deliver("survey-2", AT.plusSeconds(1));

        assertThat(stored().getSurveysDelivered()).isEqualTo(2);
        verify(store, times(2)).fetch(MetaRecords.PHONE_NUMBER_ID, AT.toEpochMilli());
    }

    private void deliver(String surveyId, Instant at) {
        aggregation.process(new Record<>(
                MetaRecords.ANA.key(),
                MetaRecords.surveyDelivered(MetaRecords.ANA, surveyId, at, "support"),
                at.toEpochMilli()));
    }

    private SummaryBucket stored() {
        return raw.fetch(MetaRecords.PHONE_NUMBER_ID, AT.toEpochMilli());
    }
}
