package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.namedParameter;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.AccountRestriction;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.Recipient;
import io.janela.avro.RestrictionType;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplatePayload;
import io.janela.avro.UserPreference;
import io.janela.avro.WindowStatus;
import io.janela.contract.AccountEventKey;
import io.janela.contract.ContactKey;
import io.janela.contract.TemplateKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.sandbox.faults.Fault;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Dispatch's account and contact rules on a real broker, against the Cloud API sandbox (DESIGN.md §4, "Identity" and
 * "The account's own state"): what ingress and the window-service would publish (an account restriction, a marketing
 * stop that names only the {@code wa_id}, window state and aliases) is produced to their topics, then requests follow.
 * Each test waits until the service's stores hold that state (interactive queries), so that a refusal proves the rule,
 * not a race; a refused request never reaches the sandbox.
 */
class AccountAndContactRulesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static DispatchEnvironment environment;

    TopicReader<String, DispatchResult> results;

    @BeforeAll
    static void start() {
        environment = new DispatchEnvironment(
                kafka.broker(),
                "dispatch-account-rules-it",
                50,
                Map.of("janela.dispatch.template-sync.enabled", false));
        environment.startService();
        // The catalog as the sync would write it (the sandbox knows the same templates); no wait for a sync.
        List<Template> catalog = List.of(
                Fixtures.catalogEntry("order_update", TemplateCategory.UTILITY, 2)
                        .build(),
                Fixtures.namedCatalogEntry("we_miss_you", TemplateCategory.MARKETING, List.of("first_name"))
                        .build());
        for (Template template : catalog) {
            environment.send(
                    environment.topics.templates().name(),
                    new TemplateKey(WABA_ID, template.getName(), template.getLanguage()).format(),
                    template);
        }
        for (Template template : catalog) {
            awaitStored(
                    DecisionTopology.TEMPLATES_STORE,
                    new TemplateKey(WABA_ID, template.getName(), template.getLanguage()).format());
        }
    }

    @AfterAll
    static void stop() {
        assertThat(environment.recordExposedMetrics())
                .contains(
                        "janela_dispatch_decisions_total",
                        "janela_dispatch_messaging_limit_reach",
                        "janela_dispatch_messaging_limit_users");
        environment.close();
    }

    @BeforeEach
    void openResults() {
        results = environment.results();
    }

    @AfterEach
    void closeResults() {
        results.close();
    }

    @Test
    void aMarketingStopNamingOnlyTheWaIdRefusesMarketingToTheContactAddressedByItsUserIdAndUtilityStillGoes() {
        Person person = person();
        // The window-service knows the contact by its user id, with the wa_id its messages carried.
        environment.send(environment.topics.windowState().name(), person.key(), closedWindow(person));
        // Meta's user_preferences item without user_id: ingress keys it by the wa_id.
        String stopKey = new ContactKey(PHONE_NUMBER_ID, person.waId()).format();
        environment.send(
                environment.topics.userPreferences().name(),
                stopKey,
                UserPreference.newBuilder()
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setWabaId(WABA_ID)
                        .setContactId(person.waId())
                        .setWaId(person.waId())
                        .setCategory(PreferenceCategory.MARKETING_MESSAGES)
                        .setValue(PreferenceValue.STOP)
                        .setDetail("User requested to stop marketing messages")
                        .setTimestamp(Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS))
                        .setRawJson("{}")
                        .build());
        awaitStored(DecisionTopology.PREFERENCES_STORE, stopKey);
        awaitStored(DecisionTopology.WINDOW_STORE, person.key());

        String marketing = requestId();
        String utility = requestId();
        environment.request("k", template(marketing, new Recipient(null, person.userId()), weMissYou()));
        environment.request("k", template(utility, new Recipient(null, person.userId()), orderUpdate()));

        DispatchResult refused = outcome(marketing);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(refused.getContactId()).isEqualTo(person.userId());
        assertThat(refused.getCategory()).isEqualTo(MessageCategory.MARKETING);
        DispatchResult sent = outcome(utility);
        assertThat(sent.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(sent.getCategory()).isEqualTo(MessageCategory.UTILITY);
        assertThat(received(marketing))
                .as("a refused request never reaches Meta")
                .isEmpty();
        assertThat(received(utility)).hasSize(1);
    }

    @Test
    void anAccountRestrictionRefusesBusinessInitiatedSendsUntilItExpiresWhileRepliesGo() {
        Instant expiry = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        AccountEvent restriction = AccountEvent.newBuilder()
                .setKind(AccountEventKind.RESTRICTION)
                .setField("account_update")
                .setEvent("ACCOUNT_RESTRICTION")
                .setWabaId(WABA_ID)
                .setRestrictions(List.of(new AccountRestriction(
                        RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING,
                        "RESTRICTED_BIZ_INITIATED_MESSAGING",
                        expiry)))
                .setTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .setRawJson("{}")
                .build();
        String restrictionKey = AccountEventKey.of(restriction);
        environment.send(environment.topics.accountEvents().name(), restrictionKey, restriction);
        awaitStored(DecisionTopology.ACCOUNT_EVENTS_STORE, restrictionKey);
        String replying = contact();
        environment.window(replying, Instant.now().minus(Duration.ofHours(1)));
        awaitStored(DecisionTopology.WINDOW_STORE, new ContactKey(PHONE_NUMBER_ID, replying).format());

        String template = requestId();
        String reply = requestId();
        String absent = contact();
        environment.request("k", template(template, new Recipient(null, absent), orderUpdate()));
        environment.request(
                "k",
                text(reply, "hello").setRecipient(new Recipient(null, replying)).build());

        DispatchResult refused = outcome(template);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
        assertThat(refused.getRestriction()).isEqualTo(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING);
        assertThat(refused.getRetryAfter()).isEqualTo(expiry);
        assertThat(outcome(reply).getOutcome())
                .as("a reply inside the window is not business-initiated")
                .isEqualTo(DispatchOutcome.SENT);
        assertThat(received(template)).isEmpty();

        // A producer that waits for retryAfter gets its template sent.
        await().atMost(TIMEOUT).until(() -> Instant.now().isAfter(refused.getRetryAfter()));
        String again = requestId();
        environment.request("k", template(again, new Recipient(null, absent), orderUpdate()));
        assertThat(outcome(again).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(received(again)).hasSize(1);
    }

    @Test
    void metasPerUserMarketingLimitHoldsTheContactsMarketingAlsoWhenAddressedByPhoneNumber() {
        Person person = person();
        environment.send(environment.topics.windowState().name(), person.key(), closedWindow(person));
        String aliasKey = new ContactKey(PHONE_NUMBER_ID, person.waId()).format();
        environment.send(
                environment.topics.contactAliases().name(),
                aliasKey,
                new ContactAlias(PHONE_NUMBER_ID, person.waId(), person.userId(), Instant.now()));
        awaitStored(DecisionTopology.WINDOW_STORE, person.key());
        awaitStored(DecisionTopology.ALIASES_STORE, aliasKey);
        environment
                .sandbox()
                .inject(new Fault(PHONE_NUMBER_ID, person.userId(), 131049, null, Fault.Mode.SYNC, 1, null));

        String first = requestId();
        environment.request("k", template(first, new Recipient(null, person.userId()), weMissYou()));
        DispatchResult limited = outcome(first);
        assertThat(limited.getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(limited.getReason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(limited.getMetaErrorCode()).isEqualTo(131049);
        assertThat(limited.getRetryAfter()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        awaitStored(DecisionTopology.MARKETING_HOLDS_STORE, person.key());

        String byPhone = requestId();
        String utility = requestId();
        Recipient phone = new Recipient("+" + person.waId(), null);
        environment.request("k", template(byPhone, phone, weMissYou()));
        environment.request("k", template(utility, phone, orderUpdate()));

        DispatchResult held = outcome(byPhone);
        assertThat(held.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(held.getReason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(held.getContactId()).isEqualTo(person.userId());
        assertThat(held.getRetryAfter()).isEqualTo(limited.getRetryAfter());
        assertThat(received(byPhone)).isEmpty();
        assertThat(outcome(utility).getOutcome())
                .as("the per-user limit holds marketing only")
                .isEqualTo(DispatchOutcome.SENT);
    }

    @Test
    void aPortfolioAtItsMessagingLimitRefusesANewUserBeforeCallingMetaUntilMetaRaisesTheLimit() {
        // The fixture's number is its account's own portfolio; the other tests' users count too, so the limit is set
        // at what is counted now.
        String reached = contact();
        String first = requestId();
        environment.request("k", template(first, new Recipient(null, reached), orderUpdate()));
        assertThat(outcome(first).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        String limitKey = WABA_ID + ":" + AccountEventKind.MESSAGING_LIMIT.name();
        Long counted = stored(DecisionTopology.PORTFOLIO_REACH_STORE, "C|" + WABA_ID);
        assertThat(counted).isPositive();
        environment.send(environment.topics.accountEvents().name(), limitKey, messagingLimit("TIER_IT", counted));
        awaitStored(
                DecisionTopology.ACCOUNT_EVENTS_STORE,
                limitKey,
                value -> "TIER_IT".equals(((AccountEvent) value).getMessagingLimitTier()));

        String refusedId = requestId();
        String again = requestId();
        String newUser = contact();
        environment.request("k", template(refusedId, new Recipient(null, newUser), orderUpdate()));
        environment.request("k", template(again, new Recipient(null, reached), weMissYou()));

        DispatchResult refused = outcome(refusedId);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(refused.getRetryAfter()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(received(refusedId)).isEmpty();
        assertThat(outcome(again).getOutcome())
                .as("a user reached in the last 24 h is not a new one")
                .isEqualTo(DispatchOutcome.SENT);

        environment.send(environment.topics.accountEvents().name(), limitKey, messagingLimit("TIER_UNLIMITED", null));
        awaitStored(
                DecisionTopology.ACCOUNT_EVENTS_STORE,
                limitKey,
                value -> "TIER_UNLIMITED".equals(((AccountEvent) value).getMessagingLimitTier()));
        String later = requestId();
        environment.request("k", template(later, new Recipient(null, newUser), orderUpdate()));
        assertThat(outcome(later).getOutcome()).isEqualTo(DispatchOutcome.SENT);
    }

    private static AccountEvent messagingLimit(String tier, Long users) {
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.MESSAGING_LIMIT)
                .setField("business_capability_update")
                .setWabaId(WABA_ID)
                .setMessagingLimitTier(tier)
                .setMessagingLimit(users)
                .setTimestamp(Instant.now())
                .setRawJson("{}")
                .build();
    }

    /** Waits until the running service's store (global or local) holds the key. */
    private static void awaitStored(String store, String key) {
        awaitStored(store, key, value -> true);
    }

    /** Waits until the running service's store (global or local) holds a value for the key that matches. */
    private static void awaitStored(String store, String key, Predicate<Object> matching) {
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
            Object value = stored(store, key);
            return value != null && matching.test(value);
        });
    }

    /** The value the running service's store holds for the key, or null. */
    private static <V> V stored(String store, String key) {
        KafkaStreams streams =
                environment.app().getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        return streams.store(
                        StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()))
                .get(key);
    }

    private DispatchResult outcome(String requestId) {
        return Records.outcome(results, requestId, TIMEOUT);
    }

    private static List<LoggedRequest> received(String requestId) {
        return environment.sandbox().requests().stream()
                .filter(request -> requestId.equals(request.callbackData()))
                .toList();
    }

    private static ContactWindow closedWindow(Person person) {
        Instant last = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        return Fixtures.openWindow(last)
                .setContactId(person.userId())
                .setUserId(person.userId())
                .setWaId(person.waId())
                .setStatus(WindowStatus.CLOSED)
                .setClosedAt(last.plus(Duration.ofHours(24)))
                .build();
    }

    private static TemplatePayload weMissYou() {
        return templatePayload("we_miss_you")
                .setBodyParameters(List.of(namedParameter("first_name", "Ana")))
                .build();
    }

    private static TemplatePayload orderUpdate() {
        return templatePayload("order_update", "Ana", "42").build();
    }

    private static OutboundRequest template(String requestId, Recipient recipient, TemplatePayload template) {
        return text(requestId, "x")
                .setRecipient(recipient)
                .setCreatedAt(Instant.now())
                .setPayload(template)
                .build();
    }

    /** One person, known by a business-scoped user id and a wa_id. */
    private record Person(String userId, String waId) {
        String key() {
            return new ContactKey(PHONE_NUMBER_ID, userId).format();
        }
    }

    private static Person person() {
        return new Person(contact(), "1555" + ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L));
    }

    private static String contact() {
        return "US." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    }

    private static String requestId() {
        return "it-" + UUID.randomUUID();
    }
}
