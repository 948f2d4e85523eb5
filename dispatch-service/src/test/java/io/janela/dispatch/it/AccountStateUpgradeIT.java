package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.Recipient;
import io.janela.avro.RestrictionType;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.contract.AccountEventKey;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TemplateKey;
import io.janela.contract.TopicDescriptor;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * An instance upgraded in place: the global table of whatsapp.account-events that earlier versions held (every kind,
 * one user-id change per record) runs on a state directory, stops cleanly, and the service starts on the same
 * directory. It opens the store of the same name, keeps the restriction and the messaging limit it held, deletes the
 * user-id changes, and refuses a template ACCOUNT_RESTRICTED at once, before any new account event.
 */
class AccountStateUpgradeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SCOPE = "dispatch-account-upgrade-it";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void anInstanceUpgradedFromTheGlobalTableStartsKeepsTheRestrictionAndLimitAndDropsTheUserIdChanges()
            throws Exception {
        try (DispatchEnvironment environment = new DispatchEnvironment(
                kafka.broker(), SCOPE, 50, Map.of("janela.dispatch.template-sync.enabled", false))) {
            JanelaTopics topics = environment.topics;
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topics.accountEvents().name(), 1, (short) 1)))
                        .all()
                        .get();
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            AccountEvent restriction = Fixtures.restriction(
                    RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING,
                    now.plus(Duration.ofHours(1)),
                    now.minusSeconds(60));
            AccountEvent limit = AccountEvent.newBuilder()
                    .setKind(AccountEventKind.MESSAGING_LIMIT)
                    .setField("business_capability_update")
                    .setWabaId(WABA_ID)
                    .setMessagingLimitTier("TIER_UNLIMITED")
                    .setTimestamp(now.minusSeconds(60))
                    .setRawJson("{}")
                    .build();
            List<AccountEvent> history = new ArrayList<>(List.of(restriction, limit));
            for (int change = 1; change <= 20; change++) {
                history.add(AccountEvent.newBuilder()
                        .setKind(AccountEventKind.USER_ID_CHANGE)
                        .setField("user_id_update")
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setPreviousUserId("US.before-" + change)
                        .setNewUserId("US.after-" + change)
                        .setTimestamp(now.minusSeconds(3_600 + change))
                        .setRawJson("{}")
                        .build());
            }
            for (AccountEvent event : history) {
                environment.send(topics.accountEvents().name(), earlierKey(event), event);
            }

            // The earlier version's global table, on the service's application id and state directory.
            try (KafkaStreams earlier = new KafkaStreams(earlierTable(topics.accountEvents()), config(environment))) {
                earlier.start();
                await().atMost(TIMEOUT)
                        .ignoreExceptions()
                        .until(() -> earlier.state() == KafkaStreams.State.RUNNING
                                && keys(earlier).size() == history.size());
            }
            Path earlierStore = environment
                    .stateDir()
                    .resolve(SCOPE)
                    .resolve("global")
                    .resolve("rocksdb")
                    .resolve(DecisionTopology.ACCOUNT_EVENTS_STORE);
            assertThat(earlierStore).as("the earlier table's store on disk").isDirectory();

            environment.startService();
            String restrictionKey = earlierKey(restriction);
            environment.awaitStored(DecisionTopology.ACCOUNT_EVENTS_STORE, restrictionKey, value -> true, TIMEOUT);
            KafkaStreams upgraded =
                    environment.app().getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
            assertThat(keys(upgraded))
                    .as("only what the rules read is left")
                    .containsExactlyInAnyOrder(restrictionKey, earlierKey(limit));

            Template orderUpdate = Fixtures.catalogEntry("order_update", TemplateCategory.UTILITY, 2)
                    .build();
            String templateKey = new TemplateKey(WABA_ID, "order_update", orderUpdate.getLanguage()).format();
            environment.send(topics.templates().name(), templateKey, orderUpdate);
            environment.awaitStored(DecisionTopology.TEMPLATES_STORE, templateKey, value -> true, TIMEOUT);
            try (TopicReader<String, DispatchResult> results = environment.results()) {
                environment.request(
                        "k",
                        text("upgrade-1", "x")
                                .setRecipient(new Recipient(null, "US.upgrade"))
                                .setCreatedAt(Instant.now())
                                .setPayload(templatePayload("order_update", "Ana", "42")
                                        .build())
                                .build());
                DispatchResult refused = Records.outcome(results, "upgrade-1", TIMEOUT);
                assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
                assertThat(refused.getReason())
                        .as("the restriction held before the upgrade applies")
                        .isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);

                // Ingress, upgraded after dispatch, keys each statement by Meta's time: Meta's lifting, newer than
                // the restriction under the earlier key, applies.
                AccountEvent lifted = Fixtures.restriction(null, null, now.minusSeconds(10));
                String liftedKey = AccountEventKey.of(lifted);
                assertThat(liftedKey).isNotEqualTo(restrictionKey);
                environment.send(topics.accountEvents().name(), liftedKey, lifted);
                environment.awaitStored(DecisionTopology.ACCOUNT_EVENTS_STORE, liftedKey, value -> true, TIMEOUT);
                environment.request(
                        "k",
                        text("upgrade-2", "x")
                                .setRecipient(new Recipient(null, "US.upgrade"))
                                .setCreatedAt(Instant.now())
                                .setPayload(templatePayload("order_update", "Ana", "42")
                                        .build())
                                .build());
                assertThat(Records.outcome(results, "upgrade-2", TIMEOUT).getOutcome())
                        .as("the restriction is lifted")
                        .isEqualTo(DispatchOutcome.SENT);
            }
        }
    }

    /** The key earlier versions of ingress wrote: one per account for a restriction or a messaging limit. */
    private static String earlierKey(AccountEvent event) {
        return event.getKind() == AccountEventKind.RESTRICTION || event.getKind() == AccountEventKind.MESSAGING_LIMIT
                ? event.getWabaId() + ":" + event.getKind().name()
                : AccountEventKey.of(event);
    }

    /** What earlier versions declared: the whole topic as a global table, under the same store name. */
    private static Topology earlierTable(TopicDescriptor<String, AccountEvent> accountEvents) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(
                accountEvents.name(),
                Consumed.with(accountEvents.keySerde(), accountEvents.valueSerde())
                        .withName("dispatch-account-events-source"),
                Materialized.<String, AccountEvent, KeyValueStore<Bytes, byte[]>>as(
                                DecisionTopology.ACCOUNT_EVENTS_STORE)
                        .withKeySerde(accountEvents.keySerde())
                        .withValueSerde(accountEvents.valueSerde()));
        return builder.build();
    }

    private static Properties config(DispatchEnvironment environment) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, environment.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, environment.stateDir().toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return config;
    }

    private static List<String> keys(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, Object> store = streams.store(StoreQueryParameters.fromNameAndType(
                DecisionTopology.ACCOUNT_EVENTS_STORE, QueryableStoreTypes.keyValueStore()));
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Object> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }
}
