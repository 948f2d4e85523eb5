package io.janela.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.streams.DeadlineIndex.Due;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    /** Two kinds whose codes are not their ordinals; WARN carries a qualifier. */
    enum TestKind implements DeadlineIndex.Kind {
        WARN((byte) 7) {
            @Override
            public boolean qualified() {
                return true;
            }
        },
        EXPIRE((byte) 3);

        private final byte code;

        TestKind(byte code) {
            this.code = code;
        }

        @Override
        public byte code() {
            return code;
        }
    }

    enum Clashing implements DeadlineIndex.Kind {
        ONE,
        TWO;

        @Override
        public byte code() {
            return 1;
        }
    }

    final RecordingStore store = new RecordingStore();
    final DeadlineIndex<TestKind> index = new DeadlineIndex<>(store, TestKind.class);

    @Test
    void dueReturnsTheDeadlinesAtOrBeforeNowEarliestFirst() {
        index.schedule(3_000, TestKind.EXPIRE, "b");
        index.schedule(1_000, TestKind.EXPIRE, "a");
        index.schedule(3_001, TestKind.EXPIRE, "c");
        index.schedule(new Due<>(2_000, TestKind.WARN, 60_000, "ü"));

        assertThat(index.due(3_000, 10))
                .containsExactly(
                        new Due<>(1_000, TestKind.EXPIRE, "a"),
                        new Due<>(2_000, TestKind.WARN, 60_000, "ü"),
                        new Due<>(3_000, TestKind.EXPIRE, "b"));
        assertThat(index.due(3_000, 1)).hasSize(1);
    }

    @Test
    void keysUseTheExplicitCodeAndCarryTheQualifierOnlyForQualifiedKinds() {
        assertThat(DeadlineIndex.key(new Due<>(5, TestKind.EXPIRE, "x")).get())
                .isEqualTo(ByteBuffer.allocate(10)
                        .putLong(5)
                        .put((byte) 3)
                        .put((byte) 'x')
                        .array());
        assertThat(DeadlineIndex.key(new Due<>(5, TestKind.WARN, 9, "x")).get())
                .isEqualTo(ByteBuffer.allocate(18)
                        .putLong(5)
                        .put((byte) 7)
                        .putLong(9)
                        .put((byte) 'x')
                        .array());
    }

    @Test
    void keysSortByDueTimeAsRocksDbComparesBytes() {
        List<Bytes> keys = new ArrayList<>(List.of(
                DeadlineIndex.key(new Due<>(1_700_000_001_000L, TestKind.EXPIRE, "b")),
                DeadlineIndex.key(new Due<>(1_800_000_000_000L, TestKind.EXPIRE, "a")),
                DeadlineIndex.key(new Due<>(1_700_000_000_000L, TestKind.WARN, 3_600_000, "z")),
                DeadlineIndex.key(new Due<>(255, TestKind.EXPIRE, "c"))));

        keys.sort(Comparator.naturalOrder()); // Bytes compares as unsigned bytes, as RocksDB does

        assertThat(keys)
                .extracting(key -> index.decode(key.get()).dueAt())
                .containsExactly(255L, 1_700_000_000_000L, 1_700_000_001_000L, 1_800_000_000_000L);
    }

    @Test
    void aCancelledDeadlineIsNotDue() {
        index.schedule(1_000, TestKind.EXPIRE, "a");
        index.cancel(1_000, TestKind.EXPIRE, "a");

        assertThat(index.due(5_000, 10)).isEmpty();
    }

    @Test
    void takeDueRemovesWhatItHandsOver() {
        index.schedule(1_000, TestKind.EXPIRE, "a");
        index.schedule(2_000, TestKind.EXPIRE, "b");
        List<Due<TestKind>> handled = new ArrayList<>();

        assertThat(index.takeDue(1_500, 10, handled::add)).isEqualTo(1);

        assertThat(handled).containsExactly(new Due<>(1_000, TestKind.EXPIRE, "a"));
        assertThat(index.due(5_000, 10)).containsExactly(new Due<>(2_000, TestKind.EXPIRE, "b"));
    }

    @Test
    void keepEarliestKeepsOneDeadlinePerIdAtTheEarliestTime() {
        assertThat(index.keepEarliest(TestKind.EXPIRE, "a", null, 5_000L)).isEqualTo(5_000L);
        assertThat(index.keepEarliest(TestKind.EXPIRE, "a", 5_000L, 7_000L)).isEqualTo(5_000L);
        assertThat(index.keepEarliest(TestKind.EXPIRE, "a", 5_000L, 2_000L)).isEqualTo(2_000L);
        assertThat(index.keepEarliest(TestKind.EXPIRE, "a", 2_000L, null)).isEqualTo(2_000L);

        assertThat(index.due(10_000, 10)).containsExactly(new Due<>(2_000, TestKind.EXPIRE, "a"));
    }

    @Test
    void ensurePutsADeadlineOnlyWhenNoneIsPending() {
        assertThat(index.ensure(TestKind.EXPIRE, "a", 4_000L, 1_000)).isEqualTo(4_000L);
        assertThat(index.due(10_000, 10)).isEmpty();

        assertThat(index.ensure(TestKind.EXPIRE, "a", null, 1_000)).isEqualTo(1_000L);
        assertThat(index.due(10_000, 10)).containsExactly(new Due<>(1_000, TestKind.EXPIRE, "a"));
    }

    @Test
    void aScanStartsAfterWhatEarlierScansFoundDoneSoDeletedEntriesAreNotSteppedOverAgain() {
        index.schedule(1_000, TestKind.EXPIRE, "a");
        index.takeDue(1_000, 10, due -> {});
        index.due(2_000, 10);
        store.rangesFrom.clear();

        index.due(3_000, 10);

        assertThat(store.rangesFrom).containsExactly(2_001L);
    }

    @Test
    void nothingIsReadWhenNowIsBehindWhatIsKnownDone() {
        index.due(5_000, 10);
        store.rangesFrom.clear();

        assertThat(index.due(4_000, 10)).isEmpty();
        assertThat(store.rangesFrom).isEmpty();
    }

    @Test
    void aDeadlinePutBehindTheScanIsStillFound() {
        index.due(5_000, 10);

        index.schedule(1_000, TestKind.EXPIRE, "late");

        assertThat(index.due(5_000, 10)).containsExactly(new Due<>(1_000, TestKind.EXPIRE, "late"));
    }

    @Test
    void kindsSharingACodeAreRefused() {
        assertThatThrownBy(() -> new DeadlineIndex<>(store, Clashing.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("share the code 1");
    }

    @Test
    void aDeadlineBefore1970CannotBeIndexed() {
        assertThatThrownBy(() -> index.schedule(-1, TestKind.EXPIRE, "a")).isInstanceOf(IllegalArgumentException.class);
    }

    /** An in-memory store that records where each range read starts (the due time of its lower bound). */
    static final class RecordingStore extends InMemoryKeyValueStore {

        final List<Long> rangesFrom = new ArrayList<>();

        RecordingStore() {
            super("deadlines");
            init(new MockProcessorContext<>().getStateStoreContext(), this);
        }

        @Override
        public synchronized KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            rangesFrom.add(ByteBuffer.wrap(from.get()).getLong());
            return super.range(from, to);
        }
    }
}
