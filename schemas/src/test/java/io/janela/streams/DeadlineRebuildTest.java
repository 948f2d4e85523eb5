package io.janela.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineRebuildTest {

    static final Duration NO_LIMIT = Duration.ofHours(1);

    final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    final KeyValueStore<String, Long> states = states();
    final List<String> read = new ArrayList<>();
    final BiConsumer<String, Long> scheduleFor = (id, dueAt) -> read.add(id + "@" + dueAt);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void removeMeters() {
        Metrics.removeRegistry(meters);
    }

    @Test
    void aSliceReadsAtMostItsCountAndTheNextResumesAfterTheLastKeyRead() {
        put("a", "b", "c", "d", "e");
        DeadlineRebuild<Long> rebuild = new DeadlineRebuild<>(states, scheduleFor, System::nanoTime);

        assertThat(rebuild.slice(2, NO_LIMIT)).isFalse();
        assertThat(read).containsExactly("a@1", "b@2");
        assertThat(rebuild.slice(2, NO_LIMIT)).isFalse();
        assertThat(rebuild.slice(2, NO_LIMIT)).isTrue();

        assertThat(read).containsExactly("a@1", "b@2", "c@3", "d@4", "e@5");
        assertThat(rebuild.progress().statesRead()).isEqualTo(5);
        assertThat(rebuild.progress().slices()).isEqualTo(3);
        assertThat(rebuild.progress().done()).isTrue();
    }

    @Test
    void aSliceEndsOnceItsTimeIsSpent() {
        put("a", "b", "c", "d", "e");
        AtomicLong clock = new AtomicLong();
        // Each state read costs 10 ms of the test's clock.
        DeadlineRebuild<Long> rebuild = new DeadlineRebuild<>(
                states,
                scheduleFor.andThen(
                        (id, dueAt) -> clock.addAndGet(Duration.ofMillis(10).toNanos())),
                clock::get);

        assertThat(rebuild.slice(100, Duration.ofMillis(25))).isFalse();

        assertThat(read).containsExactly("a@1", "b@2", "c@3");
        assertThat(rebuild.progress().busy()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void aStateIsReadAsItIsWhenTheRebuildReachesIt() {
        put("a", "b", "d", "e");
        DeadlineRebuild<Long> rebuild = new DeadlineRebuild<>(states, scheduleFor, System::nanoTime);
        rebuild.slice(2, NO_LIMIT);

        // Between slices the task processes records: a state ahead changes, one is added ahead and one behind, one
        // ahead goes, and so does the last one read.
        states.put("d", 40L);
        states.put("c", 30L);
        states.put("0", 99L);
        states.delete("e");
        states.delete("b");

        assertThat(rebuild.slice(10, NO_LIMIT)).isTrue();
        assertThat(read).containsExactly("a@1", "b@2", "c@30", "d@40");
    }

    @Test
    void aRebuildOfNoStatesIsDoneAfterOneSlice() {
        DeadlineRebuild<Long> rebuild = new DeadlineRebuild<>(states, scheduleFor, System::nanoTime);

        assertThat(rebuild.slice(10, NO_LIMIT)).isTrue();
        assertThat(rebuild.slice(10, NO_LIMIT)).isTrue();
        assertThat(read).isEmpty();
        assertThat(rebuild.progress().slices()).isEqualTo(1);
    }

    @Test
    void startedRebuildRunsFromAWallClockPunctuationAndStopsItWhenDone() {
        Metrics.addRegistry(meters);
        put("a", "b", "c");
        List<DeadlineIndex.Rebuilt> done = new ArrayList<>();
        DeadlineRebuild.Handle handle = DeadlineRebuild.restart(
                null,
                context,
                "start-test",
                states,
                scheduleFor,
                new DeadlineRebuild.Pace(Duration.ofMillis(5), 2, NO_LIMIT),
                done::add);

        CapturedPunctuator punctuator = context.scheduledPunctuators().getFirst();
        assertThat(punctuator.getInterval()).isEqualTo(Duration.ofMillis(5));
        assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(read).as("nothing read before the first punctuation").isEmpty();
        assertThat(running("start-test")).isEqualTo(1);

        punctuator.getPunctuator().punctuate(5);
        assertThat(handle.done()).isFalse();
        assertThat(done).isEmpty();
        punctuator.getPunctuator().punctuate(10);

        assertThat(handle.done()).isTrue();
        assertThat(punctuator.cancelled()).isTrue();
        assertThat(done)
                .singleElement()
                .satisfies(rebuilt -> assertThat(rebuilt.statesRead()).isEqualTo(3));
        assertThat(running("start-test")).isZero();
        assertThat(meters.get(DeadlineRebuild.STATES)
                        .tag("index", "start-test")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aClosedRebuildStopsAndNoLongerCountsAsRunning() {
        Metrics.addRegistry(meters);
        put("a", "b", "c");
        DeadlineRebuild.Handle handle = DeadlineRebuild.restart(
                null,
                context,
                "close-test",
                states,
                scheduleFor,
                new DeadlineRebuild.Pace(Duration.ofMillis(1), 1, NO_LIMIT),
                rebuilt -> {});
        CapturedPunctuator punctuator = context.scheduledPunctuators().getFirst();
        punctuator.getPunctuator().punctuate(1);

        handle.close();
        handle.close();

        assertThat(punctuator.cancelled()).isTrue();
        assertThat(running("close-test")).isZero();
        assertThat(read).containsExactly("a@1");
    }

    @Test
    void aRestartClosesThePreviousRebuildAndReadsFromTheFirstStateAgain() {
        Metrics.addRegistry(meters);
        put("a", "b", "c");
        DeadlineRebuild.Pace onePerSlice = new DeadlineRebuild.Pace(Duration.ofMillis(1), 1, NO_LIMIT);
        DeadlineRebuild.Handle first =
                DeadlineRebuild.restart(null, context, "restart-test", states, scheduleFor, onePerSlice, rebuilt -> {});
        CapturedPunctuator firstPunctuator = context.scheduledPunctuators().getFirst();
        firstPunctuator.getPunctuator().punctuate(1);

        // The task starts again on the same processor, its first rebuild not complete.
        DeadlineRebuild.Handle second = DeadlineRebuild.restart(
                first, context, "restart-test", states, scheduleFor, onePerSlice, rebuilt -> {});

        assertThat(firstPunctuator.cancelled()).isTrue();
        assertThat(running("restart-test")).as("only the new rebuild runs").isEqualTo(1);
        CapturedPunctuator secondPunctuator = context.scheduledPunctuators().getLast();
        assertThat(secondPunctuator).isNotSameAs(firstPunctuator);
        for (long now = 2; now <= 4; now++) {
            secondPunctuator.getPunctuator().punctuate(now);
        }
        assertThat(second.done()).isTrue();
        assertThat(read).containsExactly("a@1", "a@1", "b@2", "c@3");
        assertThat(running("restart-test")).isZero();
    }

    @Test
    void aPaceMustLetSlicesRead() {
        assertThatThrownBy(() -> new DeadlineRebuild.Pace(Duration.ZERO, 1, NO_LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadlineRebuild.Pace(Duration.ofMillis(1), 0, NO_LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadlineRebuild.Pace(Duration.ofMillis(1), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private double running(String index) {
        return meters.get(DeadlineRebuild.RUNNING).tag("index", index).gauge().value();
    }

    /** States named by single letters, each due at its letter's place in the alphabet. */
    private void put(String... ids) {
        for (String id : ids) {
            states.put(id, (long) (id.charAt(0) - 'a' + 1));
        }
    }

    private KeyValueStore<String, Long> states() {
        KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("states"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
