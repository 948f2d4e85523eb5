package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.namedParameter;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static io.janela.dispatch.it.RunningDispatch.contact;
import static io.janela.dispatch.it.RunningDispatch.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.AccountEvent;
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
import io.janela.contract.AccountEventKey;
import io.janela.contract.ContactKey;
import io.janela.contract.TemplateKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.sandbox.faults.Fault;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
    static final RunningDispatch dispatch = RunningDispatch.scope("dispatch-account-rules-it")
            .with(Map.of("janela.dispatch.template-sync.enabled", false))
            .waiting(TIMEOUT)
            .whenStarted(AccountAndContactRulesIT::catalog)
            .exposing(
                    "janela_dispatch_decisions_total",
                    "janela_dispatch_messaging_limit_reach",
                    "janela_dispatch_messaging_limit_users",
                    "janela_dispatch_account_events_total");

    /** The catalog as the sync would write it (the sandbox knows the same templates); no wait for a sync. */
    private static void catalog(DispatchEnvironment environment) {
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
            environment.awaitStored(
                    DecisionTopology.TEMPLATES_STORE,
                    new TemplateKey(WABA_ID, template.getName(), template.getLanguage()).format(),
                    value -> true,
                    TIMEOUT);
        }
    }

    private static DispatchEnvironment environment() {
        return dispatch.environment();
    }

    @Test
    void aMarketingStopNamingOnlyTheWaIdRefusesMarketingToTheContactAddressedByItsUserIdAndUtilityStillGoes() {
        Person person = person();
        // The window-service knows the contact by its user id, with the wa_id its messages carried.
        environment().send(environment().topics.windowState().name(), person.key(), closedWindow(person));
        // Meta's user_preferences item without user_id: ingress keys it by the wa_id.
        String stopKey = new ContactKey(PHONE_NUMBER_ID, person.waId()).format();
        environment()
                .send(
                        environment().topics.userPreferences().name(),
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
        dispatch.awaitStored(DecisionTopology.PREFERENCES_STORE, stopKey);
        dispatch.awaitStored(DecisionTopology.WINDOW_STORE, person.key());

        String marketing = requestId();
        String utility = requestId();
        environment().request("k", template(marketing, new Recipient(null, person.userId()), weMissYou()));
        environment().request("k", template(utility, new Recipient(null, person.userId()), orderUpdate()));

        DispatchResult refused = dispatch.outcome(marketing);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
        assertThat(refused.getContactId()).isEqualTo(person.userId());
        assertThat(refused.getCategory()).isEqualTo(MessageCategory.MARKETING);
        DispatchResult sent = dispatch.outcome(utility);
        assertThat(sent.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(sent.getCategory()).isEqualTo(MessageCategory.UTILITY);
        assertThat(dispatch.received(marketing))
                .as("a refused request never reaches Meta")
                .isEmpty();
        assertThat(dispatch.received(utility)).hasSize(1);
    }

    @Test
    void anAccountRestrictionRefusesBusinessInitiatedSendsUntilItExpiresWhileRepliesGo() {
        Instant expiry = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        AccountEvent restriction = Fixtures.restriction(
                RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING,
                expiry,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String restrictionKey = AccountEventKey.of(restriction);
        environment().send(environment().topics.accountEvents().name(), restrictionKey, restriction);
        dispatch.awaitStored(DecisionTopology.ACCOUNT_EVENTS_STORE, restrictionKey);
        String replying = contact();
        environment().window(replying, Instant.now().minus(Duration.ofHours(1)));
        dispatch.awaitStored(DecisionTopology.WINDOW_STORE, new ContactKey(PHONE_NUMBER_ID, replying).format());

        String template = requestId();
        String reply = requestId();
        String absent = contact();
        environment().request("k", template(template, new Recipient(null, absent), orderUpdate()));
        environment()
                .request(
                        "k",
                        text(reply, "hello")
                                .setRecipient(new Recipient(null, replying))
                                .build());

        DispatchResult refused = dispatch.outcome(template);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.ACCOUNT_RESTRICTED);
        assertThat(refused.getRestriction()).isEqualTo(RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING);
        assertThat(refused.getRetryAfter()).isEqualTo(expiry);
        assertThat(dispatch.outcome(reply).getOutcome())
                .as("a reply inside the window is not business-initiated")
                .isEqualTo(DispatchOutcome.SENT);
        assertThat(dispatch.received(template)).isEmpty();

        // A producer that waits for retryAfter gets its template sent.
        await().atMost(TIMEOUT).until(() -> Instant.now().isAfter(refused.getRetryAfter()));
        String again = requestId();
        environment().request("k", template(again, new Recipient(null, absent), orderUpdate()));
        assertThat(dispatch.outcome(again).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(dispatch.received(again)).hasSize(1);
    }

    @Test
    void metasPerUserMarketingLimitHoldsTheContactsMarketingAlsoWhenAddressedByPhoneNumber() {
        Person person = person();
        environment().send(environment().topics.windowState().name(), person.key(), closedWindow(person));
        String aliasKey = new ContactKey(PHONE_NUMBER_ID, person.waId()).format();
        environment()
                .send(
                        environment().topics.contactAliases().name(),
                        aliasKey,
                        new ContactAlias(PHONE_NUMBER_ID, person.waId(), person.userId(), Instant.now()));
        dispatch.awaitStored(DecisionTopology.WINDOW_STORE, person.key());
        dispatch.awaitStored(DecisionTopology.ALIASES_STORE, aliasKey);
        environment()
                .sandbox()
                .inject(new Fault(PHONE_NUMBER_ID, person.userId(), 131049, null, Fault.Mode.SYNC, 1, null));

        String first = requestId();
        environment().request("k", template(first, new Recipient(null, person.userId()), weMissYou()));
        DispatchResult limited = dispatch.outcome(first);
        assertThat(limited.getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(limited.getReason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(limited.getMetaErrorCode()).isEqualTo(131049);
        assertThat(limited.getRetryAfter()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        dispatch.awaitStored(DecisionTopology.MARKETING_HOLDS_STORE, person.key());

        String byPhone = requestId();
        String utility = requestId();
        Recipient phone = new Recipient("+" + person.waId(), null);
        environment().request("k", template(byPhone, phone, weMissYou()));
        environment().request("k", template(utility, phone, orderUpdate()));

        DispatchResult held = dispatch.outcome(byPhone);
        assertThat(held.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(held.getReason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(held.getContactId()).isEqualTo(person.userId());
        assertThat(held.getRetryAfter()).isEqualTo(limited.getRetryAfter());
        assertThat(dispatch.received(byPhone)).isEmpty();
        assertThat(dispatch.outcome(utility).getOutcome())
                .as("the per-user limit holds marketing only")
                .isEqualTo(DispatchOutcome.SENT);
    }

    @Test
    void aPortfolioAtItsMessagingLimitRefusesANewUserBeforeCallingMetaUntilMetaRaisesTheLimit() {
        // The fixture's number is its account's own portfolio; the other tests' users count too, so the limit is set
        // at what is counted now.
        String reached = contact();
        String first = requestId();
        environment().request("k", template(first, new Recipient(null, reached), orderUpdate()));
        assertThat(dispatch.outcome(first).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        Long counted = dispatch.stored(DecisionTopology.PORTFOLIO_REACH_STORE, "C|" + WABA_ID);
        assertThat(counted).isPositive();
        dispatch.announceMessagingLimit("TIER_IT", counted);

        String refusedId = requestId();
        String again = requestId();
        String newUser = contact();
        environment().request("k", template(refusedId, new Recipient(null, newUser), orderUpdate()));
        environment().request("k", template(again, new Recipient(null, reached), weMissYou()));

        DispatchResult refused = dispatch.outcome(refusedId);
        assertThat(refused.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.getReason()).isEqualTo(DispatchReason.MESSAGING_LIMIT);
        assertThat(refused.getRetryAfter()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(dispatch.received(refusedId)).isEmpty();
        assertThat(dispatch.outcome(again).getOutcome())
                .as("a user reached in the last 24 h is not a new one")
                .isEqualTo(DispatchOutcome.SENT);

        dispatch.announceMessagingLimit("TIER_UNLIMITED", null);
        String later = requestId();
        environment().request("k", template(later, new Recipient(null, newUser), orderUpdate()));
        assertThat(dispatch.outcome(later).getOutcome()).isEqualTo(DispatchOutcome.SENT);
    }

    private static ContactWindow closedWindow(Person person) {
        return Fixtures.closedWindow(Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS))
                .setContactId(person.userId())
                .setUserId(person.userId())
                .setWaId(person.waId())
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
}
