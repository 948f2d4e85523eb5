package io.janela.window.tracking;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.ContactKey;
import io.janela.streams.DeadlineRebuild;
import io.janela.testfixtures.MetaRecords;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.CustomerMessage;
import io.janela.window.rules.Deadline;
import io.janela.window.rules.WindowPolicy;
import io.janela.window.rules.WindowRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task starts with its contacts but without their deadlines in the index (the index has no changelog; here it is
 * empty, as after its store was lost): the task runs at once and the index is rebuilt a slice at a time, one contact
 * per slice here, a slice on each advance of the wall clock.
 */
class IndexRebuildTopologyTest {

    static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    static final TrackingSettings SETTINGS = new TrackingSettings(
            WindowPolicy.meta(),
            Duration.ofSeconds(1),
            10_000,
            Duration.ofMinutes(5),
            new DeadlineRebuild.Pace(Duration.ofMillis(1), 1, Duration.ofHours(1)));
    /** Read in this order (keys sort by contact id). */
    static final String ANA = "US.1ana";

    static final String BEN = "US.2ben";
    static final String CAL = "US.3cal";

    final WindowRules rules = new WindowRules(SETTINGS.policy());
    TrackingDriver t;

    @BeforeEach
    void startWithContactsButNoIndex() {
        t = TrackingDriver.start(SETTINGS, START);
        // Ana's CLOSING_SOON was due half an hour before the start; Ben's and Cal's windows have most of a day left.
        restored(openedBy(ANA, START.minus(Duration.ofHours(23)).minus(Duration.ofMinutes(30))));
        restored(openedBy(BEN, START.minus(Duration.ofHours(2))));
        restored(openedBy(CAL, START.minus(Duration.ofHours(1))));
        assertThat(t.deadlineCount()).isZero();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void theTaskProcessesRecordsBeforeTheRebuildEnds() {
        t.customerWrites(MetaRecords.text("wamid.new", START.minusSeconds(1), "US.0new"));

        assertThat(t.events.readValue().getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(t.states.readValue()).isNotNull();
        assertThat(t.deadlineCount()).as("only the new window's deadline").isEqualTo(1);
        assertThat(rebuildsRecorded()).isZero();

        slices(4); // the new contact, Ana, Ben, Cal

        assertThat(rebuildsRecorded()).isEqualTo(1);
        assertThat(entries(key(BEN))).containsExactly(closingSoon(START.minus(Duration.ofHours(2))));
        assertThat(entries(key(CAL))).containsExactly(closingSoon(START.minus(Duration.ofHours(1))));
        t.assertNothingElseEmitted();
    }

    @Test
    void aDeadlineDueDuringTheRebuildFiresOnceItsContactIsRead() {
        t.advance(Duration.ofSeconds(1)); // a slice (Ana), then the deadline punctuation

        assertThat(rebuildsRecorded()).as("Ben and Cal are not read yet").isZero();
        WindowEvent closingSoon = t.events.readValue();
        assertThat(closingSoon.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
        assertThat(closingSoon.getContactId()).isEqualTo(ANA);
        assertThat(closingSoon.getOccurredAt()).isEqualTo(START.minus(Duration.ofMinutes(30)));
        t.states.readValuesToList();

        t.advance(Duration.ofMinutes(30));

        assertThat(t.events.readValue().getType()).isEqualTo(WindowEventType.CLOSED);
        t.states.readValuesToList();
        slices(1);
        assertThat(rebuildsRecorded()).isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void aContactUpdatedBeforeTheRebuildReachesItGetsExactlyItsNewDeadline() {
        slices(1); // Ana
        assertThat(entries(key(CAL))).isEmpty();

        // Cal writes again: the window's deadlines move a day on from now. The index lacks Cal's old entry, which the
        // processor would have left to move on when due.
        t.customerWrites(MetaRecords.text("wamid.cal2", START, CAL));
        assertThat(t.events.readValuesToList()).isEmpty(); // a refresh is no event
        assertThat(t.states.readValue().getExpiresAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        slices(2); // Ben, Cal

        assertThat(rebuildsRecorded()).isEqualTo(1);
        assertThat(entries(key(CAL))).containsExactly(closingSoon(START));
        t.advance(Duration.ofHours(22).plusSeconds(30)); // Cal's old CLOSING_SOON time: nothing for Cal
        assertThat(t.events.readValuesToList())
                .extracting(WindowEvent::getContactId)
                .doesNotContain(CAL);
        t.states.readValuesToList();
        t.advance(Duration.ofHours(1));
        assertThat(t.events.readValuesToList())
                .filteredOn(event -> event.getContactId().equals(CAL))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getType()).isEqualTo(WindowEventType.CLOSING_SOON);
                    assertThat(event.getOccurredAt()).isEqualTo(START.plus(Duration.ofHours(23)));
                });
    }

    /** Advances the wall clock by 1 ms {@code count} times: one rebuild slice each. */
    private void slices(int count) {
        for (int i = 0; i < count; i++) {
            t.advance(Duration.ofMillis(1));
        }
    }

    private double rebuildsRecorded() {
        return t.meters.get(WindowMetrics.INDEX_REBUILD).timer().count();
    }

    /** The entries the index holds for a contact. */
    @SuppressWarnings("unchecked")
    private List<Deadline> entries(String contactKey) {
        KeyValueStore<Bytes, byte[]> store =
                (KeyValueStore<Bytes, byte[]>) (KeyValueStore<?, ?>) t.store(StoreNames.DEADLINES);
        return new WindowDeadlines(store)
                .due(Instant.parse("2100-01-01T00:00:00Z"), Integer.MAX_VALUE).stream()
                        .filter(entry -> entry.contactKey().equals(contactKey))
                        .map(WindowDeadlines.Entry::deadline)
                        .toList();
    }

    private static Deadline closingSoon(Instant windowOpenedAt) {
        return new Deadline(Deadline.Kind.CLOSING_SOON, windowOpenedAt.plus(Duration.ofHours(23)), Duration.ofHours(1));
    }

    private ContactState openedBy(String contactId, Instant at) {
        return rules.onCustomerMessage(
                        null,
                        new ContactKey(PHONE_NUMBER_ID, contactId),
                        new CustomerMessage(
                                "wamid." + contactId, at, InboundMessageType.TEXT, false, false, contactId, null),
                        at)
                .after();
    }

    /** Puts a contact's state in the store as a restore would: no record processed, no deadline put. */
    private void restored(ContactState state) {
        t.store(StoreNames.CONTACTS).put(key(state.identity().contactId()), ContactStateCodec.encode(state));
    }

    private static String key(String contactId) {
        return new ContactKey(PHONE_NUMBER_ID, contactId).format();
    }
}
