package io.janela.window.tracking;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static io.janela.window.tracking.WindowTopologyTest.ANA;
import static io.janela.window.tracking.WindowTopologyTest.DAY;
import static io.janela.window.tracking.WindowTopologyTest.START;
import static io.janela.window.tracking.WindowTopologyTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.InboundMessage;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowStatus;
import io.janela.testfixtures.MetaRecords;
import io.janela.window.tracking.avro.StoredContact;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A contact is one person however Meta names them (DESIGN.md §4 "Identity"): after a user_id_update the window, its
 * counts and its phone number belong to the new business-scoped user id, the old id names that contact (an alias),
 * and records naming the old id no longer make a second contact.
 */
class UserIdChangeTopologyTest {

    static final String PHONE = "16505551234";
    /** Ana's business-scoped user id after the change. */
    static final String ANA_NEW = "US.99999999999999999999";

    final TrackingDriver t = TrackingDriver.start(TrackingDriver.SETTINGS, START);

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void theWindowMovesToTheNewIdAndTheOldIdBecomesItsAlias() {
        Instant wroteAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.inbound("text-message.json", "wamid.1", wroteAt, ANA, PHONE));
        t.events.readValue();
        t.states.readValue();
        t.aliases.readValue();
        Instant changedAt = START.minus(Duration.ofHours(1));

        t.accountEventArrives(MetaRecords.userIdChange(ANA, ANA_NEW, changedAt));

        Map<String, ContactWindow> states = t.states.readKeyValuesToList().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value == null ? TOMBSTONE : kv.value));
        assertThat(states.get(key(ANA)))
                .as("the old id's public state is deleted")
                .isSameAs(TOMBSTONE);
        ContactWindow moved = states.get(key(ANA_NEW));
        assertThat(moved.getContactId()).isEqualTo(ANA_NEW);
        assertThat(moved.getStatus()).isEqualTo(WindowStatus.OPEN);
        assertThat(moved.getOpenedAt()).isEqualTo(wroteAt);
        assertThat(moved.getExpiresAt()).isEqualTo(wroteAt.plus(DAY));
        assertThat(moved.getWaitingSince()).isEqualTo(wroteAt);
        assertThat(moved.getWindowsOpened()).isEqualTo(1);
        assertThat(moved.getWaId()).isEqualTo(PHONE);
        assertThat(t.aliases.readKeyValuesToList())
                .extracting(kv -> kv.key, kv -> kv.value.getContactId())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(key(ANA), ANA_NEW),
                        org.assertj.core.groups.Tuple.tuple(PHONE_NUMBER_ID + ":" + PHONE, ANA_NEW));
        assertThat(t.openWindowsGauge()).isEqualTo(1);
        assertThat(t.counter(WindowMetrics.APPLIED, "source", "user_id_change")).isEqualTo(1);

        Instant againAt = START.minus(Duration.ofMinutes(30));
        t.customerWrites(MetaRecords.text("wamid.2", againAt, ANA_NEW));

        ContactWindow refreshed = t.states.readValue();
        assertThat(refreshed.getOpenedAt()).as("the same window, no new OPENED").isEqualTo(wroteAt);
        assertThat(refreshed.getExpiresAt()).isEqualTo(againAt.plus(DAY));
        assertThat(refreshed.getInboundMessages()).isEqualTo(2);
        t.assertNothingElseEmitted();

        t.advance(DAY);
        // The refresh moved the deadline on: the entry goes there on the first pass, acts on the next.
        t.advance(Duration.ofSeconds(1));

        KeyValue<String, WindowEvent> closed = t.events.readKeyValuesToList().getLast();
        assertThat(closed.key).isEqualTo(key(ANA_NEW));
        assertThat(closed.value.getType()).isEqualTo(WindowEventType.CLOSED);
        assertThat(closed.value.getOccurredAt()).isEqualTo(againAt.plus(DAY));
        assertThat(t.openWindowsGauge()).isZero();
        assertThat(t.deadlineCount()).isZero();
        t.states.readValuesToList();
        t.assertNothingElseEmitted();
    }

    @Test
    void recordsNamingTheOldIdAfterTheChangeMakeNoSecondContact() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(2)), ANA));
        t.accountEventArrives(MetaRecords.userIdChange(ANA, ANA_NEW, START.minus(Duration.ofHours(1))));
        t.events.readValuesToList();
        t.states.readValuesToList();
        t.aliases.readValuesToList();

        t.customerWrites(MetaRecords.text("wamid.late", START.minus(Duration.ofMinutes(90)), ANA));
        t.accountEventArrives(MetaRecords.userIdChange(ANA, ANA_NEW, START.minus(Duration.ofHours(1))));

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "moved"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "user_id_change", "reason", "duplicate"))
                .isEqualTo(1);
        StoredContact marker = (StoredContact) t.store(StoreNames.CONTACTS).get(key(ANA));
        assertThat(marker.getMovedTo()).isEqualTo(ANA_NEW);
        assertThat(marker.getWindow()).isNull();
        assertThat(t.openWindowsGauge()).isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void whenTheNewIdWroteBeforeTheChangeWasProcessedTheTwoAreOneContact() {
        Instant oldWroteAt = START.minus(Duration.ofHours(5));
        t.customerWrites(MetaRecords.text("wamid.1", oldWroteAt, ANA));
        Instant newWroteAt = START.minus(Duration.ofHours(1));
        t.customerWrites(MetaRecords.text("wamid.2", newWroteAt, ANA_NEW));
        t.events.readValuesToList();
        t.states.readValuesToList();
        assertThat(t.openWindowsGauge()).isEqualTo(2);

        t.accountEventArrives(MetaRecords.userIdChange(ANA, ANA_NEW, START.minus(Duration.ofHours(2))));

        ContactWindow merged = t.states.readKeyValuesToList().stream()
                .filter(kv -> kv.key.equals(key(ANA_NEW)))
                .map(kv -> kv.value)
                .findFirst()
                .orElseThrow();
        assertThat(merged.getOpenedAt()).isEqualTo(oldWroteAt);
        assertThat(merged.getExpiresAt()).isEqualTo(newWroteAt.plus(DAY));
        assertThat(merged.getWindowsOpened())
                .as("one window, seen under two ids")
                .isEqualTo(1);
        assertThat(merged.getInboundMessages()).isEqualTo(2);
        assertThat(merged.getWaitingSince()).isEqualTo(oldWroteAt);
        assertThat(t.openWindowsGauge()).isEqualTo(1);

        t.advance(DAY);
        // The refresh moved the deadline on: the entry goes there on the first pass, acts on the next.
        t.advance(Duration.ofSeconds(1));

        assertThat(t.events.readKeyValuesToList())
                .filteredOn(kv -> kv.value.getType() == WindowEventType.CLOSED)
                .singleElement()
                .satisfies(kv -> assertThat(kv.key).isEqualTo(key(ANA_NEW)));
        assertThat(t.deadlineCount()).isZero();
    }

    @Test
    void aChangeOfAnIdNeverSeenMovesNothingButLeavesTheAlias() {
        t.accountEventArrives(MetaRecords.userIdChange(ANA, ANA_NEW, START.minus(Duration.ofHours(1))));

        assertThat(t.aliases.readValue())
                .isEqualTo(new ContactAlias(PHONE_NUMBER_ID, ANA, ANA_NEW, START.minus(Duration.ofHours(1))));
        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA_NEW))).isNull();
        t.assertNothingElseEmitted();
    }

    /**
     * Since 2026-08-11 Meta reports the change only as a {@code messages} system message with {@code previous_user_id}
     * (no user_id_update field): ingress publishes that message and the USER_ID_CHANGE it carries. The message is no
     * customer message (it opens and refreshes nothing, counts nothing), the change moves the window, in either order.
     */
    @Test
    void aUserChangedUserIdSystemMessageMovesTheWindowAndIsNoCustomerMessage() {
        Instant wroteAt = START.minus(Duration.ofHours(2));
        t.customerWrites(MetaRecords.text("wamid.1", wroteAt, ANA));
        t.events.readValue();
        t.states.readValue();
        Instant changedAt = START.minus(Duration.ofHours(1));
        InboundMessage system = MetaRecords.userIdChangedMessage("wamid.system", changedAt);
        assertThat(system.getContactId()).isEqualTo(ANA);

        t.customerWrites(system);

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "not_qualifying"))
                .isEqualTo(1);
        t.assertNothingElseEmitted();

        t.accountEventArrives(MetaRecords.userIdChange(system));

        ContactWindow moved = t.states.readKeyValuesToList().stream()
                .filter(kv -> kv.key.equals(key(ANA_NEW)))
                .map(kv -> kv.value)
                .findFirst()
                .orElseThrow();
        assertThat(moved.getOpenedAt()).isEqualTo(wroteAt);
        assertThat(moved.getExpiresAt()).as("the notice refreshes nothing").isEqualTo(wroteAt.plus(DAY));
        assertThat(moved.getInboundMessages()).as("and is no customer message").isEqualTo(1);
        assertThat(moved.getWaitingSince()).isEqualTo(wroteAt);
        assertThat(t.events.isEmpty()).as("no OPENED for the new id").isTrue();
        assertThat(t.counter(WindowMetrics.APPLIED, "source", "user_id_change")).isEqualTo(1);
        assertThat(t.openWindowsGauge()).isEqualTo(1);
    }

    @Test
    void theSystemMessageAfterTheChangeOpensNothingUnderEitherId() {
        t.customerWrites(MetaRecords.text("wamid.1", START.minus(Duration.ofHours(2)), ANA));
        InboundMessage system = MetaRecords.userIdChangedMessage("wamid.system", START.minus(Duration.ofHours(1)));
        t.accountEventArrives(MetaRecords.userIdChange(system));
        t.events.readValuesToList();
        t.states.readValuesToList();
        t.aliases.readValuesToList();

        t.customerWrites(system);
        // Were Meta to name the new id as its sender, the same notice at the new id's contact.
        t.customerWrites(InboundMessage.newBuilder(system)
                .setContactId(ANA_NEW)
                .setUserId(ANA_NEW)
                .build());

        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "moved"))
                .isEqualTo(1);
        assertThat(t.counter(WindowMetrics.IGNORED, "source", "inbound", "reason", "not_qualifying"))
                .isEqualTo(1);
        StoredContact moved = (StoredContact) t.store(StoreNames.CONTACTS).get(key(ANA_NEW));
        assertThat(moved.getInboundMessages()).isEqualTo(1);
        t.assertNothingElseEmitted();
    }

    @Test
    void aSystemMessageOfAContactNeverSeenCreatesNoContact() {
        InboundMessage system = MetaRecords.userIdChangedMessage("wamid.system", START.minus(Duration.ofHours(1)));

        t.customerWrites(system);

        assertThat(t.store(StoreNames.CONTACTS).get(key(ANA))).isNull();
        t.assertNothingElseEmitted();
    }

    private static final ContactWindow TOMBSTONE = new ContactWindow();
}
