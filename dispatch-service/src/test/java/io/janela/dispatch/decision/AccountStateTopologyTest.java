package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.templatePayload;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchReason;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.RestrictionType;
import io.janela.avro.TemplateCategory;
import io.janela.avro.ThroughputLevel;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.TopologyHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dispatch keeps of whatsapp.account-events only what its rules read (DESIGN.md §4, "The account's own state"): the
 * account's restriction and its messaging limit, the newest of each by Meta's time. User-id changes (one record per
 * change, kept by compaction for ever) and the other kinds never enter the store every instance holds and restores.
 */
class AccountStateTopologyTest {

    private static final String RESTRICTION_KEY =
            WABA_ID + ":RESTRICTION:" + NOW.minusSeconds(60).toEpochMilli();
    private static final String LIMIT_KEY =
            WABA_ID + ":MESSAGING_LIMIT:" + NOW.minusSeconds(60).toEpochMilli();

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(
                "account-state-topology-test", (topics, settings, config) -> DecisionTopology.build(settings, config));
        harness.templates.pipeInput(
                WABA_ID + ":order:en_US",
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
    }

    @AfterEach
    void stop() {
        harness.closeDrained();
    }

    @Test
    void keepsOnlyTheRestrictionAndTheMessagingLimitAndCountsTheKindsLeftOutByKind() {
        for (int change = 1; change <= 3; change++) {
            pipe(userIdChange("US.old-" + change, "US.new-" + change));
        }
        pipe(event(AccountEventKind.PHONE_NUMBER_QUALITY, "phone_number_quality_update", NOW)
                .setDisplayPhoneNumber("15550783881")
                .setQualityRating("GREEN")
                .build());
        pipe(event(AccountEventKind.THROUGHPUT, "phone_number_quality_update", NOW)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setThroughputLevel(ThroughputLevel.HIGH)
                .build());
        pipe(event(AccountEventKind.ACCOUNT_UPDATE, "account_update", NOW)
                .setEvent("VOLUME_BASED_PRICING_TIER_UPDATE")
                .build());
        pipe(event(AccountEventKind.UNKNOWN, "some_new_field", NOW).build());
        pipe(restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(60)));
        pipe(limit("TIER_2K", 2_000L, NOW.minusSeconds(60)));
        harness.windows.pipeInput(PHONE_NUMBER_ID + ":" + USER_ID, closedWindow());

        assertThat(storedKeys()).containsExactlyInAnyOrder(RESTRICTION_KEY, LIMIT_KEY);
        assertThat(accountEvents("user_id_change", "not_read")).isEqualTo(3.0);
        for (String kind : List.of("phone_number_quality", "throughput", "account_update", "unknown")) {
            assertThat(accountEvents(kind, "not_read")).as(kind).isEqualTo(1.0);
        }
        assertThat(accountEvents("restriction", "stored")).isEqualTo(1.0);
        assertThat(accountEvents("messaging_limit", "stored")).isEqualTo(1.0);
        assertThat(harness.<AccountEvent>timestampedStore(DecisionTopology.ACCOUNT_EVENTS_STORE)
                        .get(RESTRICTION_KEY)
                        .timestamp())
                .as("stored at Meta's time")
                .isEqualTo(NOW.minusSeconds(60).toEpochMilli());

        // The restriction and the limit are read as before: a template outside a window is refused.
        harness.requests.pipeInput("k", template("r-1"));
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
    }

    @Test
    void aRestrictionMetaRedeliversLateDoesNotReplaceTheNewerLiftingOfIt() {
        harness.windows.pipeInput(PHONE_NUMBER_ID + ":" + USER_ID, closedWindow());
        pipe(restriction(null, NOW.minusSeconds(60))); // lifted at t-60 s
        pipe(restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(120))); // late

        harness.requests.pipeInput("k", template("r-1"));
        assertThat(harness.commands.readValue().getRequestId())
                .as("the lifting is newer by Meta's time than the restriction read after it")
                .isEqualTo("r-1");
        assertThat(accountEvents("restriction", "stored")).isEqualTo(2.0);
        assertThat(harness.<AccountEvent>timestampedStore(DecisionTopology.ACCOUNT_EVENTS_STORE)
                        .get(RESTRICTION_KEY)
                        .value()
                        .getRestrictions())
                .isEmpty();
        assertThat(storedKeys())
                .as("each statement under its own key; the newest by Meta's time is read")
                .hasSize(2);

        // A newer restriction replaces it; one of the same second too (the later record wins).
        pipe(restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(30)));
        harness.requests.pipeInput("k", template("r-2"));
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
        pipe(restriction(null, NOW.minusSeconds(30)));
        harness.requests.pipeInput("k", template("r-3"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-3");
    }

    @Test
    void aMessagingLimitMetaRedeliversLateDoesNotReplaceTheNewerOne() {
        pipe(limit("TIER_UNLIMITED", null, NOW.minusSeconds(60)));
        pipe(limit("TIER_1", 1L, NOW.minusSeconds(600)));

        for (int user = 1; user <= 3; user++) {
            harness.requests.pipeInput("k", template("r-" + user, "US.limit-" + user));
        }
        assertThat(harness.commands.readValuesToList())
                .as("no limit of 1: the older statement does not apply")
                .hasSize(3);
    }

    /**
     * whatsapp.account-events is compacted by offset: of the records of one key, the last written stays, whatever
     * Meta's time says. Meta lifts a restriction and then redelivers the restriction it lifted (older by Meta's time,
     * written after); a running instance keeps the lifting, and so must an instance that starts from the topic once
     * compaction has run. With one key per account, compaction left only the restriction: the new instance refused every
     * template until Meta's next statement.
     */
    @Test
    void anInstanceStartedAfterCompactionFollowsTheNewestStatementNotTheLastWritten() {
        List<AccountEvent> written = List.of(
                restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(600)),
                limit("TIER_2K", 2_000L, NOW.minusSeconds(600)),
                restriction(null, NOW.minusSeconds(60)), // lifted
                limit("TIER_UNLIMITED", null, NOW.minusSeconds(60)), // raised
                restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(600)), // redelivered
                limit("TIER_1", 1L, NOW.minusSeconds(300))); // late
        harness.close();

        harness = new TopologyHarness(
                "account-state-after-compaction-test",
                (topics, settings, config) -> DecisionTopology.build(settings, config));
        harness.templates.pipeInput(
                WABA_ID + ":order:en_US",
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
        harness.windows.pipeInput(PHONE_NUMBER_ID + ":" + USER_ID, closedWindow());
        for (KeyValue<String, AccountEvent> record : compacted(written)) {
            harness.accountEvents.pipeInput(record.key, record.value);
        }

        harness.requests.pipeInput("k", template("r-1"));
        assertThat(harness.results.readValuesToList())
                .as("the restriction was lifted after the one redelivered")
                .isEmpty();
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-1");
        for (int user = 1; user <= 3; user++) {
            harness.requests.pipeInput("k", template("r-limit-" + user, "US.limit-" + user));
        }
        assertThat(harness.commands.readValuesToList())
                .as("the limit is unlimited since t-60 s; TIER_1 (t-300 s) was written later")
                .hasSize(3);
    }

    /**
     * A record under a key earlier versions wrote ({@code {wabaId}:RESTRICTION}) stays in the topic after the upgrade:
     * it is one more statement, and the newest by Meta's time holds, whichever key it has.
     */
    @Test
    void aStatementUnderTheKeyOfEarlierVersionsCountsByItsTimeAmongTheNewOnes() {
        harness.windows.pipeInput(PHONE_NUMBER_ID + ":" + USER_ID, closedWindow());
        String oldKey = WABA_ID + ":RESTRICTION";
        harness.accountEvents.pipeInput(
                oldKey, restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(600)));
        harness.requests.pipeInput("k", template("r-1"));
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);

        pipe(restriction(null, NOW.minusSeconds(60)));
        harness.requests.pipeInput("k", template("r-2"));
        assertThat(harness.commands.readValue().getRequestId())
                .as("lifted after the old key's")
                .isEqualTo("r-2");

        harness.accountEvents.pipeInput(
                oldKey, restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(30)));
        harness.requests.pipeInput("k", template("r-3"));
        assertThat(harness.results.readValue().getReason())
                .as("the old key's statement is the newest now")
                .isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);

        // Under one key, an older statement read after a newer one does not replace it.
        harness.accountEvents.pipeInput(oldKey, restriction(null, NOW.minusSeconds(45)));
        harness.requests.pipeInput("k", template("r-4"));
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
        assertThat(accountEvents("restriction", "older")).isEqualTo(1.0);
    }

    /** What log compaction leaves of these records, keyed as ingress keys them: the last written of each key. */
    private static List<KeyValue<String, AccountEvent>> compacted(List<AccountEvent> written) {
        Map<String, Integer> last = new HashMap<>();
        for (int offset = 0; offset < written.size(); offset++) {
            last.put(AccountEventKey.of(written.get(offset)), offset);
        }
        List<KeyValue<String, AccountEvent>> kept = new ArrayList<>();
        for (int offset = 0; offset < written.size(); offset++) {
            String key = AccountEventKey.of(written.get(offset));
            if (last.get(key) == offset) {
                kept.add(KeyValue.pair(key, written.get(offset)));
            }
        }
        return kept;
    }

    @Test
    void aTombstoneDeletesTheRestriction() {
        harness.windows.pipeInput(PHONE_NUMBER_ID + ":" + USER_ID, closedWindow());
        pipe(restriction(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING, NOW.minusSeconds(60)));
        harness.requests.pipeInput("k", template("r-1"));
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);

        harness.accountEvents.pipeInput(RESTRICTION_KEY, null);

        assertThat(storedKeys()).isEmpty();
        assertThat(accountEvents("restriction", "deleted")).isEqualTo(1.0);
        harness.requests.pipeInput("k", template("r-2"));
        assertThat(harness.commands.readValue().getRequestId()).isEqualTo("r-2");
    }

    private void pipe(AccountEvent event) {
        harness.accountEvents.pipeInput(AccountEventKey.of(event), event);
    }

    private List<String> storedKeys() {
        KeyValueStore<String, ValueAndTimestamp<AccountEvent>> store =
                harness.timestampedStore(DecisionTopology.ACCOUNT_EVENTS_STORE);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<AccountEvent>> all = store.all()) {
            all.forEachRemaining((KeyValue<String, ValueAndTimestamp<AccountEvent>> entry) -> keys.add(entry.key));
        }
        return keys;
    }

    private double accountEvents(String kind, String outcome) {
        return harness.meters
                .get("janela.dispatch.account.events")
                .tags("kind", kind, "outcome", outcome)
                .counter()
                .count();
    }

    private static AccountEvent.Builder event(AccountEventKind kind, String field, Instant at) {
        return AccountEvent.newBuilder()
                .setKind(kind)
                .setField(field)
                .setWabaId(WABA_ID)
                .setTimestamp(at)
                .setRawJson("{}");
    }

    /** A restriction of this type without expiry, or (null) the lifting of every restriction. */
    private static AccountEvent restriction(RestrictionType type, Instant at) {
        return Fixtures.restriction(type, null, at);
    }

    private static AccountEvent limit(String tier, Long users, Instant at) {
        return event(AccountEventKind.MESSAGING_LIMIT, "business_capability_update", at)
                .setMessagingLimitTier(tier)
                .setMessagingLimit(users)
                .build();
    }

    private static AccountEvent userIdChange(String previous, String next) {
        return event(AccountEventKind.USER_ID_CHANGE, "user_id_update", NOW)
                .setWabaId(null)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setPreviousUserId(previous)
                .setNewUserId(next)
                .build();
    }

    private static ContactWindow closedWindow() {
        return Fixtures.closedWindow(NOW.minus(Duration.ofDays(3))).build();
    }

    private static OutboundRequest template(String requestId) {
        return Fixtures.template(requestId, templatePayload("order").build()).build();
    }

    private static OutboundRequest template(String requestId, String userId) {
        return Fixtures.template(requestId, templatePayload("order").build())
                .setRecipient(new Recipient(null, userId))
                .build();
    }
}
