package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.Recipient;
import io.janela.dispatch.config.DispatchProperties.ThroughputCountedAt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 5 of issue 16: the pacer makes a journaled call only while its journal entry is fresh and its partition is
 * held; otherwise it hands the call back unmade.
 */
class FiringPacerTest {

    private static final TopicPartition P0 = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private static final TopicPartition P1 = new TopicPartition("whatsapp.dispatch.send-commands", 1);
    private static final long SECOND = 1_000_000_000L;

    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
    private final List<String> fired = new CopyOnWriteArrayList<>();
    private final List<Long> firedAt = new CopyOnWriteArrayList<>();
    private final List<FiringPacer.Withheld> withheld = new CopyOnWriteArrayList<>();
    private FiringPacer pacer = pacer(ThroughputCountedAt.ANSWER);

    private FiringPacer pacer(ThroughputCountedAt countedAt) {
        return new FiringPacer(
                FiringPacer.MAX_CATCH_UP.toNanos(),
                pending -> held.contains(pending.partition),
                nanos -> {},
                countedAt);
    }

    @AfterEach
    void close() {
        pacer.close();
    }

    @Test
    void aCallWhoseJournalEntryWentStaleBeforeItsTurnIsNotMadeButHandedBack() {
        held.add(P0);
        pacer.rates(Map.of(PHONE_NUMBER_ID, 1.0));
        long now = System.nanoTime();
        // One per second: the first goes at once, the second a second later, the third two seconds later, after its
        // fire-by time.
        submit("r-1", P0, now + 10 * SECOND);
        submit("r-2", P0, now + 10 * SECOND);
        submit("r-3", P0, now + SECOND + SECOND / 2);
        submit("r-4", P0, now + 10 * SECOND);
        pacer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 3);
        assertThat(fired).containsExactly("r-1", "r-2", "r-4");
        assertThat(withheld()).containsExactly("r-3 STALE");
    }

    @Test
    void aCallOfAPartitionNoLongerHeldIsNotMadeButHandedBack() {
        held.add(P0); // P1 was revoked or lost while its call waited for its slot
        pacer.rates(Map.of(PHONE_NUMBER_ID, 5.0));
        long now = System.nanoTime();
        submit("r-1", P0, now + 10 * SECOND);
        submit("r-2", P1, now + 10 * SECOND);
        submit("r-3", P0, now + 10 * SECOND);
        pacer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 2);
        assertThat(fired).containsExactly("r-1", "r-3");
        assertThat(withheld()).containsExactly("r-2 NOT_HELD");
    }

    @Test
    void freshCallsOfHeldPartitionsAreAllMade() {
        held.add(P0);
        pacer.rates(Map.of(PHONE_NUMBER_ID, 50.0));
        long now = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("r-" + i);
            submit("r-" + i, P0, now + 10 * SECOND);
        }
        pacer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 20);
        assertThat(fired).containsExactlyElementsOf(ids);
        assertThat(withheld()).isEmpty();
    }

    /**
     * Issue 16, item 8: counted at departures, a call counts against its number's second from its start until it has
     * left, wherever it will leave. Calls that wait to leave (a busy HTTP event loop) fill the second: no more start
     * until they left; their answers do not matter.
     */
    @Test
    void countedAtDeparturesCallsThatHaveNotLeftYetHoldTheirPlaceInTheSecond() {
        pacer.close();
        pacer = pacer(ThroughputCountedAt.DEPARTURE);
        assertFiveHoldTheirPlaceUntil(progress -> {}, FiringPacer.Progress::written, "the five left");
    }

    /**
     * Issue 16, item 8 and its bar (no trailing second at the receiver above the limit): counted at answers, a call
     * that left but was not answered yet still holds its place, since the receiver may count it any time until it
     * answers; the next call starts a second after the answers. Fails when the pacer counts calls at their departure.
     */
    @Test
    void countedAtAnswersCallsThatLeftButWereNotAnsweredHoldTheirPlaceInTheSecond() {
        assertFiveHoldTheirPlaceUntil(
                FiringPacer.Progress::written, FiringPacer.Progress::answered, "the five were answered");
    }

    /**
     * Five a second, eight calls: each is told {@code whenMade} as it is made, and the first five fill the second
     * until they are told {@code release}, after which the sixth starts only a second later.
     */
    private void assertFiveHoldTheirPlaceUntil(
            Consumer<FiringPacer.Progress> whenMade, Consumer<FiringPacer.Progress> release, String released) {
        held.add(P0);
        pacer.rates(Map.of(PHONE_NUMBER_ID, 5.0));
        List<FiringPacer.Progress> holding = new CopyOnWriteArrayList<>();
        long now = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            submit("r-" + i, P0, now + 60 * SECOND, progress -> {
                whenMade.accept(progress);
                holding.add(progress);
            });
        }
        pacer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 5);
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> fired.size() == 5);

        long releasedAt = System.nanoTime();
        holding.forEach(release);
        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 8);
        assertThat(firedAt.get(5) - releasedAt)
                .as("the next starts a second after " + released)
                .isGreaterThanOrEqualTo(SECOND);
    }

    /**
     * A call's progress may be told in any order and more than once (the answer can come before the write callback
     * runs, and the answer path tells it again): it counts once. Counted twice, the sixth call of ten a second would
     * wait a second for the first's places to pass.
     */
    @Test
    void aCallToldAnsweredTwiceAndWrittenAfterItsAnswerCountsOnce() {
        held.add(P0);
        pacer.rates(Map.of(PHONE_NUMBER_ID, 10.0));
        long now = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            submit("r-" + i, P0, now + 60 * SECOND, progress -> {
                progress.answered();
                progress.answered();
                progress.written();
            });
        }
        pacer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 10);
        assertThat(firedAt.get(5) - firedAt.get(0))
                .as("the sixth starts five intervals (0.5 s) after the first, not a second")
                .isLessThan(SECOND);
    }

    /** A call that failed as it was started counts at once: it does not hold its number's place forever. */
    @Test
    void aCallThatFailedToStartDoesNotHoldItsPlace() {
        held.add(P0);
        pacer.rates(Map.of(PHONE_NUMBER_ID, 1.0));
        long now = System.nanoTime();
        submit("r-0", P0, now + 60 * SECOND, progress -> {
            throw new IllegalStateException("the HTTP client refused the call");
        });
        submit("r-1", P0, now + 60 * SECOND);
        pacer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> fired.size() == 2);
        assertThat(fired).containsExactly("r-0", "r-1");
    }

    private void submit(String requestId, TopicPartition partition, long fireByNanos) {
        submit(requestId, partition, fireByNanos, progress -> {
            progress.written();
            progress.answered();
        });
    }

    private void submit(
            String requestId, TopicPartition partition, long fireByNanos, Consumer<FiringPacer.Progress> leave) {
        Pending pending = new Pending(
                sendCommand(
                        text(requestId, "hi")
                                .setRecipient(new Recipient(null, "US." + requestId))
                                .build(),
                        null),
                partition,
                0,
                PHONE_NUMBER_ID + ":US." + requestId);
        pacer.submit(
                PHONE_NUMBER_ID,
                new FiringPacer.Call(
                        pending,
                        progress -> {
                            firedAt.add(System.nanoTime());
                            fired.add(requestId);
                            leave.accept(progress);
                        },
                        fireByNanos));
    }

    private List<String> withheld() {
        withheld.addAll(pacer.withheld());
        return withheld.stream()
                .map(call -> call.pending().requestId() + " " + call.reason())
                .toList();
    }
}
