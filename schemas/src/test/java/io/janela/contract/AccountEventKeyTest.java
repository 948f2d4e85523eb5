package io.janela.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.serde.AvroClassTrust;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountEventKeyTest {

    static {
        // The builder fills the restrictions' default, which loads a generated class: Avro must trust it first.
        AvroClassTrust.trustGeneratedClasses();
    }

    @Test
    void keysEachRestrictionAndMessagingLimitStatementByAccountKindAndMetaTime() {
        AccountEvent restriction = event(AccountEventKind.RESTRICTION, "ACCOUNT_RESTRICTION");
        restriction.setTimestamp(Instant.ofEpochSecond(1_765_002_000L));
        AccountEvent olderRedelivered = AccountEvent.newBuilder(restriction)
                .setTimestamp(Instant.ofEpochSecond(1_765_001_200L))
                .build();

        assertThat(AccountEventKey.of(restriction)).isEqualTo("waba-1:RESTRICTION:1765002000000");
        assertThat(AccountEventKey.of(olderRedelivered)).isNotEqualTo(AccountEventKey.of(restriction));
        assertThat(AccountEventKey.of(AccountEvent.newBuilder(restriction).build()))
                .as("a redelivery of the same statement still compacts")
                .isEqualTo(AccountEventKey.of(restriction));
        assertThat(AccountEventKey.of(event(AccountEventKind.MESSAGING_LIMIT, null)))
                .isEqualTo("waba-1:MESSAGING_LIMIT:0");
    }

    @Test
    void aFactPrefixNamesTheKeysOfTheFactOldAndNewAndNoOther() {
        String prefix = AccountEventKey.factPrefix("waba-1", AccountEventKind.RESTRICTION);

        assertThat(prefix).isEqualTo("waba-1:RESTRICTION");
        assertThat(AccountEventKey.ofFact("waba-1:RESTRICTION", prefix))
                .as("a key written before Meta's time was in it")
                .isTrue();
        assertThat(AccountEventKey.ofFact("waba-1:RESTRICTION:1765002000000", prefix))
                .isTrue();
        assertThat(AccountEventKey.ofFact("waba-1:RESTRICTIONS", prefix)).isFalse();
        assertThat(AccountEventKey.ofFact("waba-10:RESTRICTION:1", prefix)).isFalse();
    }

    @Test
    void keepsEachOtherAccountUpdateEventApart() {
        assertThat(AccountEventKey.of(event(AccountEventKind.ACCOUNT_UPDATE, "DISABLED_UPDATE")))
                .isEqualTo("waba-1:ACCOUNT_UPDATE:DISABLED_UPDATE");
        assertThat(AccountEventKey.of(event(AccountEventKind.ACCOUNT_UPDATE, null)))
                .isEqualTo("waba-1:ACCOUNT_UPDATE:-");
    }

    @Test
    void keysNumberFactsByTheNumberMetaNames() {
        AccountEvent byDisplay = event(AccountEventKind.THROUGHPUT, null);
        byDisplay.setDisplayPhoneNumber("15550001111");
        byDisplay.setPhoneNumberId("pn-1");
        AccountEvent byId = event(AccountEventKind.PHONE_NUMBER_QUALITY, "FLAGGED");
        byId.setPhoneNumberId("pn-1");

        assertThat(AccountEventKey.of(byDisplay)).isEqualTo("waba-1:THROUGHPUT:15550001111:0");
        assertThat(AccountEventKey.of(byId)).isEqualTo("waba-1:PHONE_NUMBER_QUALITY:pn-1");
    }

    @Test
    void keysEachThroughputReportByMetaTimeSoThatCompactionCannotKeepAnOlderOneWrittenLater() {
        AccountEvent newer = event(AccountEventKind.THROUGHPUT, "THROUGHPUT_DOWNGRADE");
        newer.setDisplayPhoneNumber("15550001111");
        newer.setTimestamp(Instant.ofEpochSecond(1_765_002_000L));
        AccountEvent olderRedelivered = AccountEvent.newBuilder(newer)
                .setEvent("THROUGHPUT_UPGRADE")
                .setTimestamp(Instant.ofEpochSecond(1_765_001_200L))
                .build();
        AccountEvent sameAgain = AccountEvent.newBuilder(newer).build();

        assertThat(AccountEventKey.of(olderRedelivered)).isNotEqualTo(AccountEventKey.of(newer));
        assertThat(AccountEventKey.of(sameAgain)).isEqualTo(AccountEventKey.of(newer));
        assertThat(AccountEventKey.of(newer)).isEqualTo("waba-1:THROUGHPUT:15550001111:1765002000000");
    }

    @Test
    void keysAUserIdChangeByNumberAndPreviousId() {
        AccountEvent change = event(AccountEventKind.USER_ID_CHANGE, null);
        change.setPhoneNumberId("pn-1");
        change.setPreviousUserId("US.1");
        change.setNewUserId("US.2");

        assertThat(AccountEventKey.of(change)).isEqualTo("pn-1:USER_ID_CHANGE:US.1");
    }

    private static AccountEvent event(AccountEventKind kind, String metaEvent) {
        return AccountEvent.newBuilder()
                .setKind(kind)
                .setField("account_update")
                .setEvent(metaEvent)
                .setWabaId("waba-1")
                .setTimestamp(Instant.EPOCH)
                .setRawJson("{}")
                .build();
    }
}
