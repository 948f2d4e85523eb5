package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ThroughputLevel;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.config.DispatchProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThroughputReportsTest {

    static {
        Fixtures.businessNumber(); // trusts Avro's generated classes
    }

    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");
    private static final BusinessNumber NUMBER = number("1001", "+1 555-078-3881", 80, false);
    private static final BusinessNumber OTHER = number("1002", "15550000002", 80, false);
    private static final BusinessNumber COEXISTENCE = number("1003", "15550000003", 20, true);
    /** A coexistence number whose operator set its 20/s but not the pin. */
    private static final BusinessNumber UNPINNED_LOW = number("1004", "15550000004", 20, false);

    private final ThroughputReports reports = new ThroughputReports(
            List.of(NUMBER, OTHER, COEXISTENCE, UNPINNED_LOW),
            new DispatchProperties.ThroughputLevels(80, 1000, false, Duration.ofSeconds(5)));

    @Test
    void theConfiguredLimitAppliesUntilMetaReportsALevel() {
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(80, "configured"));
        assertThat(reports.limit(COEXISTENCE)).isEqualTo(new ThroughputReports.Limit(20, "pinned"));
    }

    @Test
    void eachLevelMapsToItsConfiguredFigureAndALevelWithoutOneToTheConfiguredLimit() {
        assertThat(accept(byId("1001", ThroughputLevel.HIGH, T0))).isTrue();
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(1000, "high"));

        accept(byId("1001", ThroughputLevel.STANDARD, T0.plusSeconds(1)));
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(80, "standard"));

        accept(byId("1001", ThroughputLevel.UNKNOWN, T0.plusSeconds(2)));
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(80, "unknown"));

        accept(byId("1001", ThroughputLevel.NOT_APPLICABLE, T0.plusSeconds(3)));
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(80, "not_applicable"));

        assertThat(reports.limit(OTHER))
                .as("another number's reports")
                .isEqualTo(new ThroughputReports.Limit(80, "configured"));
    }

    @Test
    void anOlderReportReadAfterANewerOneNeverWins() {
        accept(byId("1001", ThroughputLevel.HIGH, T0.plusSeconds(60)));

        assertThat(accept(byId("1001", ThroughputLevel.STANDARD, T0))).isFalse();
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(1000, "high"));

        accept(byId("1001", ThroughputLevel.STANDARD, T0.plusSeconds(60)));
        assertThat(reports.limit(NUMBER))
                .as("equal times: the later record")
                .isEqualTo(new ThroughputReports.Limit(80, "standard"));
    }

    @Test
    void anOlderReportUnderAnotherKeyOfTheSameNumberNeverWinsEither() {
        accept(byDisplayNumber("15550783881", ThroughputLevel.HIGH, T0.plusSeconds(60)));
        accept(byId("1001", ThroughputLevel.STANDARD, T0));

        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(1000, "high"));
    }

    @Test
    void metasShapeNamesTheNumberByDisplayNumberOnlyMatchedByItsDigitsWithinTheAccount() {
        accept(byDisplayNumber("15550783881", ThroughputLevel.HIGH, T0));
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(1000, "high"));

        AccountEvent elsewhere = byDisplayNumber("15550000002", ThroughputLevel.HIGH, T0);
        elsewhere.setWabaId("another-account");
        assertThat(accept(elsewhere))
                .as("the same digits in another business account")
                .isFalse();
        assertThat(accept(byDisplayNumber("15559999999", ThroughputLevel.HIGH, T0)))
                .as("not configured")
                .isFalse();
        assertThat(reports.limit(OTHER)).isEqualTo(new ThroughputReports.Limit(80, "configured"));
    }

    @Test
    void aPinnedNumberKeepsItsLimitWhateverMetaReports() {
        accept(byId("1003", ThroughputLevel.HIGH, T0));

        assertThat(reports.limit(COEXISTENCE)).isEqualTo(new ThroughputReports.Limit(20, "pinned"));
    }

    @Test
    void aLevelAboveTheConfiguredLimitOfANumberNotPinnedIsFollowedAndWarnedOfOnceNamingThePin() {
        Logger logger = (Logger) LoggerFactory.getLogger(ThroughputReports.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        try {
            accept(byId("1004", ThroughputLevel.STANDARD, T0));
            accept(byId("1004", ThroughputLevel.HIGH, T0.plusSeconds(1)));
            accept(byId("1001", ThroughputLevel.STANDARD, T0)); // 80, as configured: nothing to say
        } finally {
            logger.detachAppender(warnings);
        }

        assertThat(reports.limit(UNPINNED_LOW)).isEqualTo(new ThroughputReports.Limit(1000, "high"));
        assertThat(warnings.list).singleElement().satisfies(warning -> {
            assertThat(warning.getLevel()).isEqualTo(Level.WARN);
            assertThat(warning.getFormattedMessage())
                    .contains("1004", "standard (80/s)", "throughput-limit of 20/s", "throughput-pinned=true");
        });
    }

    @Test
    void aTombstoneRemovesItsKeysReportAndOtherKindsAreIgnored() {
        AccountEvent high = byId("1001", ThroughputLevel.HIGH, T0);
        accept(high);
        AccountEvent restriction = byId("1001", ThroughputLevel.STANDARD, T0.plusSeconds(5));
        restriction.setKind(AccountEventKind.RESTRICTION);
        assertThat(accept(restriction)).isFalse();
        assertThat(reports.limit(NUMBER).perSecond()).isEqualTo(1000);

        assertThat(reports.accept(AccountEventKey.of(high), null)).isTrue();
        assertThat(reports.limit(NUMBER)).isEqualTo(new ThroughputReports.Limit(80, "configured"));
    }

    @Test
    void theRatesFollowTheReportedLimit() {
        NumberRates rates =
                new NumberRates(List.of(NUMBER), reports::limit, 1.0, Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(rates.update(4, List.of(0, 1))).isEqualTo(Map.of("1001", 40.0));

        accept(byDisplayNumber("15550783881", ThroughputLevel.HIGH, T0));

        assertThat(rates.update(4, List.of(0, 1))).isEqualTo(Map.of("1001", 500.0));
        assertThat(rates.limits()).isEqualTo(Map.of("1001", new ThroughputReports.Limit(1000, "high")));
    }

    /**
     * A number configured without display-phone-number never matches Meta's report (it names the display number only):
     * the report is told as one it may be of, so that an alert can name the number left at its configured limit.
     */
    @Test
    void aReportByADisplayNumberNoNumberHasIsToldForTheAccountsNumbersWithoutADisplayNumber() {
        BusinessNumber undisplayed = number("1004", null, 80, false);
        BusinessNumber undisplayedPinned = number("1005", null, 20, true);
        BusinessNumber otherAccount =
                new BusinessNumber("1006", "waba-2", null, "token", null, 80, ZoneId.of("UTC"), null, false);
        List<String> heard = new ArrayList<>();
        ThroughputReports withListener = new ThroughputReports(
                List.of(NUMBER, undisplayed, undisplayedPinned, otherAccount),
                new DispatchProperties.ThroughputLevels(80, 1000, false, Duration.ofSeconds(5)),
                (phoneNumberId, level, matched) -> heard.add(phoneNumberId + " " + level + " " + matched));

        AccountEvent unmatched = byDisplayNumber("15559990000", ThroughputLevel.HIGH, T0);
        AccountEvent matched = byDisplayNumber("15550783881", ThroughputLevel.STANDARD, T0);
        AccountEvent byUnknownId = byId("9999", ThroughputLevel.HIGH, T0);
        withListener.accept(AccountEventKey.of(unmatched), unmatched);
        withListener.accept(AccountEventKey.of(matched), matched);
        withListener.accept(AccountEventKey.of(byUnknownId), byUnknownId);

        assertThat(heard).containsExactly("1004 high false", "1001 standard true");
        assertThat(withListener.limit(undisplayed))
                .as("still not matched: the alert tells")
                .isEqualTo(new ThroughputReports.Limit(80, "configured"));
    }

    private boolean accept(AccountEvent event) {
        return reports.accept(AccountEventKey.of(event), event);
    }

    private static AccountEvent byId(String phoneNumberId, ThroughputLevel level, Instant at) {
        return event(level, at).setPhoneNumberId(phoneNumberId).build();
    }

    /** As Meta sends it: phone_number_quality_update names the number by its display number only. */
    private static AccountEvent byDisplayNumber(String displayPhoneNumber, ThroughputLevel level, Instant at) {
        return event(level, at).setDisplayPhoneNumber(displayPhoneNumber).build();
    }

    private static AccountEvent.Builder event(ThroughputLevel level, Instant at) {
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.THROUGHPUT)
                .setField("phone_number_quality_update")
                .setEvent(level == ThroughputLevel.HIGH ? "THROUGHPUT_UPGRADE" : "THROUGHPUT_DOWNGRADE")
                .setWabaId("waba")
                .setThroughputLevel(level)
                .setTimestamp(at)
                .setRawJson("{}");
    }

    private static BusinessNumber number(String id, String display, int limit, boolean pinned) {
        return new BusinessNumber(id, "waba", display, "token", null, limit, ZoneId.of("UTC"), null, pinned);
    }
}
