package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.parse;
import static io.janela.ingress.parse.Parsing.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.AccountRestriction;
import io.janela.avro.RestrictionType;
import io.janela.avro.ThroughputLevel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four account-level fields (WHATSAPP.md §3.9, §11.3), from webhooks in the shapes Meta documents. */
class AccountEventParsingTest {

    @Test
    void readsAnAccountRestrictionWithEachTypeAndExpiryKeyedByAccountAndMetaTime() {
        MappedRecord record = single("account-events/account-restriction.json");
        AccountEvent event = (AccountEvent) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.ACCOUNT_EVENT);
        assertThat(record.key()).isEqualTo(WABA + ":RESTRICTION:1765000900000");
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1765000900));
        assertThat(event.getKind()).isEqualTo(AccountEventKind.RESTRICTION);
        assertThat(event.getField()).isEqualTo("account_update");
        assertThat(event.getEvent()).isEqualTo("ACCOUNT_RESTRICTION");
        assertThat(event.getWabaId()).isEqualTo(WABA);
        assertThat(event.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765000900));
        assertThat(event.getRestrictions())
                .extracting(
                        AccountRestriction::getType, AccountRestriction::getRawType, AccountRestriction::getExpiresAt)
                .containsExactly(
                        tuple(
                                RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING,
                                "RESTRICTED_BIZ_INITIATED_MESSAGING",
                                Instant.ofEpochSecond(1765605700)),
                        tuple(
                                RestrictionType.RESTRICTED_CUSTOMER_INITIATED_MESSAGING,
                                "RESTRICTED_CUSTOMER_INITIATED_MESSAGING",
                                Instant.ofEpochSecond(1765173700)),
                        // A type the contract does not know: UNKNOWN, as Meta wrote it, never a problem.
                        tuple(RestrictionType.UNKNOWN, "RESTRICTED_DIRECT_SEND_UTILITY_TEMPLATES", null));
        assertThat(event.getRawJson()).contains("\"restriction_info\"");
        assertThat(parse("account-events/account-restriction.json").notes().unrecognisedValues())
                .containsExactly("restriction_type");
    }

    @Test
    void readsARestrictionWithoutItemsAsNoRestrictionOfTheSameAccount() {
        MappedRecord record = single("account-events/account-restriction-lifted.json");
        AccountEvent event = (AccountEvent) record.value();

        assertThat(record.key()).isEqualTo(WABA + ":RESTRICTION:1765605800000");
        assertThat(event.getKind()).isEqualTo(AccountEventKind.RESTRICTION);
        assertThat(event.getRestrictions()).isEmpty();
    }

    @Test
    void keepsAnyOtherAccountUpdateUnderItsOwnEvent() {
        MappedRecord record = single("account-events/disabled-update.json");
        AccountEvent event = (AccountEvent) record.value();

        assertThat(record.key()).isEqualTo(WABA + ":ACCOUNT_UPDATE:DISABLED_UPDATE");
        assertThat(event.getKind()).isEqualTo(AccountEventKind.ACCOUNT_UPDATE);
        assertThat(event.getEvent()).isEqualTo("DISABLED_UPDATE");
        assertThat(event.getRawJson()).contains("SCHEDULE_FOR_DISABLE");
    }

    @Test
    void readsThePortfoliosMessagingLimitAsANumberOrATier() {
        AccountEvent number = Parsing.value("account-events/business-capability.json", AccountEvent.class);
        AccountEvent unlimited = Parsing.value("account-events/business-capability-unlimited.json", AccountEvent.class);
        AccountEvent legacy = Parsing.value("account-events/business-capability-legacy.json", AccountEvent.class);

        assertThat(single("account-events/business-capability.json").key())
                .isEqualTo(WABA + ":MESSAGING_LIMIT:1765001000000");
        assertThat(List.of(number, unlimited, legacy))
                .extracting(
                        AccountEvent::getKind,
                        AccountEvent::getField,
                        AccountEvent::getMessagingLimitTier,
                        AccountEvent::getMessagingLimit)
                .containsExactly(
                        tuple(AccountEventKind.MESSAGING_LIMIT, "business_capability_update", "TIER_2K", 2_000L),
                        tuple(AccountEventKind.MESSAGING_LIMIT, "business_capability_update", "TIER_UNLIMITED", null),
                        tuple(AccountEventKind.MESSAGING_LIMIT, "business_capability_update", "TIER_250", 250L));
        assertThat(number.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765001000));
    }

    @Test
    void readsAThroughputUpgradeOfTheNumberNamedByItsDisplayNumber() {
        MappedRecord record = single("account-events/throughput-upgrade.json");
        AccountEvent event = (AccountEvent) record.value();

        assertThat(record.key()).isEqualTo(WABA + ":THROUGHPUT:15550783881:1765001200000");
        assertThat(event.getKind()).isEqualTo(AccountEventKind.THROUGHPUT);
        assertThat(event.getField()).isEqualTo("phone_number_quality_update");
        assertThat(event.getEvent()).isEqualTo("THROUGHPUT_UPGRADE");
        assertThat(event.getDisplayPhoneNumber()).isEqualTo("15550783881");
        assertThat(event.getThroughputLevel()).isEqualTo(ThroughputLevel.HIGH);
        // TIER_UNLIMITED in current_limit of a throughput event is the throughput, not a messaging limit.
        assertThat(event.getMessagingLimitTier()).isNull();
        assertThat(event.getMessagingLimit()).isNull();
    }

    @Test
    void readsANumbersLimitChangeAndThePortfoliosLimitItCarries() {
        ParsedWebhook parsed = parse("account-events/number-limit-upgrade.json");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.records())
                .extracting(MappedRecord::key)
                .containsExactly(WABA + ":PHONE_NUMBER_QUALITY:15550783881", WABA + ":MESSAGING_LIMIT:1765001300000");
        AccountEvent number = (AccountEvent) parsed.records().get(0).value();
        AccountEvent portfolio = (AccountEvent) parsed.records().get(1).value();
        assertThat(number.getKind()).isEqualTo(AccountEventKind.PHONE_NUMBER_QUALITY);
        assertThat(number.getEvent()).isEqualTo("UPGRADE");
        assertThat(number.getMessagingLimitTier()).isEqualTo("TIER_10K");
        assertThat(number.getPreviousMessagingLimitTier()).isEqualTo("TIER_2K");
        assertThat(number.getMessagingLimit()).isEqualTo(10_000L);
        assertThat(portfolio.getKind()).isEqualTo(AccountEventKind.MESSAGING_LIMIT);
        assertThat(portfolio.getField()).isEqualTo("phone_number_quality_update");
        assertThat(portfolio.getMessagingLimit()).isEqualTo(10_000L);
        assertThat(portfolio.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765001300));
    }

    @Test
    void readsAUserIdChangeWithBothIdsAndTheWaIdKeyedByNumberAndPreviousId() {
        MappedRecord record = single("account-events/user-id-update.json");
        AccountEvent event = (AccountEvent) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":USER_ID_CHANGE:" + USER_ID);
        assertThat(record.path()).isEqualTo("entry[0].changes[0].value.user_id_update[0]");
        assertThat(event.getKind()).isEqualTo(AccountEventKind.USER_ID_CHANGE);
        assertThat(event.getField()).isEqualTo("user_id_update");
        assertThat(event.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(event.getPreviousUserId()).isEqualTo(USER_ID);
        assertThat(event.getNewUserId()).isEqualTo("US.24817305912873645029");
        assertThat(event.getWaId()).isEqualTo(WA_ID);
        assertThat(event.getTimestamp()).isEqualTo(Instant.ofEpochSecond(1765001400));
        assertThat(event.getRawJson()).contains("\"previous\":\"" + USER_ID + "\"");
    }

    @Test
    void mapsValuesItDoesNotKnowWithoutAProblem() {
        ParsedWebhook parsed = parse("account-events/unknown-values.json");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.records()).hasSize(2);
        AccountEvent number = (AccountEvent) parsed.records().get(0).value();
        AccountEvent portfolio = (AccountEvent) parsed.records().get(1).value();
        assertThat(number.getKind()).isEqualTo(AccountEventKind.THROUGHPUT);
        assertThat(number.getThroughputLevel()).isEqualTo(ThroughputLevel.UNKNOWN);
        assertThat(portfolio.getMessagingLimitTier()).isEqualTo("TIER_GALACTIC");
        assertThat(portfolio.getMessagingLimit()).isNull();
        assertThat(parsed.notes().unrecognisedValues()).containsExactly("throughput_level", "messaging_limit");
    }

    @Test
    void refusesAUserIdChangeWithoutBothIdsAsAnInvalidItem() {
        ParsedWebhook parsed = Parsing.parseText(
                "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
                        + "\"field\":\"user_id_update\",\"value\":{\"metadata\":{\"phone_number_id\":\"2\"},"
                        + "\"user_id_update\":[{\"user_id\":{\"current\":\"US.2\"},\"timestamp\":\"1765001400\"}]}}]}]}");

        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.problems())
                .extracting(ItemProblem::path, ItemProblem::problem)
                .containsExactly(
                        tuple("entry[0].changes[0].value.user_id_update[0]", "no user_id.previous or user_id.current"));
    }

    @Test
    void keepsMarketingClickEventsApartFromCustomerMessages() {
        ParsedWebhook parsed = parse("messages/user-actions-click.json");

        assertThat(parsed.failure()).isEmpty();
        assertThat(parsed.records()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.notes().ignoredFields()).containsExactly("user_actions");
    }
}
