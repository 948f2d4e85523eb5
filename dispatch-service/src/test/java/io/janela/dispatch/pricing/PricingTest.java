package io.janela.dispatch.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.MessageCategory;
import io.janela.avro.PricingType;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PricingTest {

    private static final LocalDate BEFORE_PMP = LocalDate.of(2025, 6, 30);
    private static final LocalDate PMP = LocalDate.of(2025, 7, 1);
    private static final LocalDate LAST_FREE_SERVICE_DAY = LocalDate.of(2026, 9, 30);
    private static final LocalDate SERVICE_CHARGED = LocalDate.of(2026, 10, 1);

    @Test
    void serviceMessagesAreFreeUntilTheEndOfSeptember2026AndChargedFromOctober() {
        assertThat(PricingRules.expected(MessageCategory.SERVICE, BEFORE_PMP, true, false))
                .isEqualTo(PricingType.FREE_CUSTOMER_SERVICE);
        assertThat(PricingRules.expected(MessageCategory.SERVICE, LAST_FREE_SERVICE_DAY, true, false))
                .isEqualTo(PricingType.FREE_CUSTOMER_SERVICE);
        assertThat(PricingRules.expected(MessageCategory.SERVICE, SERVICE_CHARGED, true, false))
                .isEqualTo(PricingType.REGULAR);
    }

    @Test
    void utilityTemplatesInsideTheWindowAreFreeOnlyUnderPerMessagePricingBeforeOctober2026() {
        assertThat(PricingRules.expected(MessageCategory.UTILITY, BEFORE_PMP, true, false))
                .isEqualTo(PricingType.REGULAR);
        assertThat(PricingRules.expected(MessageCategory.UTILITY, PMP, true, false))
                .isEqualTo(PricingType.FREE_CUSTOMER_SERVICE);
        assertThat(PricingRules.expected(MessageCategory.UTILITY, PMP, false, false))
                .isEqualTo(PricingType.REGULAR);
        assertThat(PricingRules.expected(MessageCategory.UTILITY, SERVICE_CHARGED, true, false))
                .isEqualTo(PricingType.REGULAR);
    }

    @Test
    void marketingAndAuthenticationAreAlwaysChargedOutsideFreeEntryPoints() {
        for (LocalDate date : new LocalDate[] {BEFORE_PMP, PMP, SERVICE_CHARGED}) {
            assertThat(PricingRules.expected(MessageCategory.MARKETING, date, true, false))
                    .isEqualTo(PricingType.REGULAR);
            assertThat(PricingRules.expected(MessageCategory.AUTHENTICATION, date, true, false))
                    .isEqualTo(PricingType.REGULAR);
        }
    }

    @Test
    void everythingInsideAFreeEntryPointIsFreeInEveryPeriod() {
        for (LocalDate date : new LocalDate[] {BEFORE_PMP, PMP, SERVICE_CHARGED}) {
            assertThat(PricingRules.expected(MessageCategory.MARKETING, date, false, true))
                    .isEqualTo(PricingType.FREE_ENTRY_POINT);
        }
    }

    @Test
    void theSendDateIsTheBusinessAccountsCalendarDate() {
        CostEstimator costs = new CostEstimator(card("*,SERVICE,2026-10-01,0.0100,USD\n"));
        Instant lateOnSeptember30InSaoPaulo = Instant.parse("2026-10-01T02:00:00Z");

        assertThat(costs.estimate(
                                MessageCategory.SERVICE,
                                lateOnSeptember30InSaoPaulo,
                                ZoneId.of("America/Sao_Paulo"),
                                true,
                                false,
                                null)
                        .pricingType())
                .isEqualTo(PricingType.FREE_CUSTOMER_SERVICE);
        assertThat(costs.estimate(
                                MessageCategory.SERVICE,
                                lateOnSeptember30InSaoPaulo,
                                ZoneId.of("UTC"),
                                true,
                                false,
                                null)
                        .pricingType())
                .isEqualTo(PricingType.REGULAR);
    }

    @Test
    void theLongestCallingCodeWinsAndTheLatestRateInForceApplies() {
        RateCard card = card("""
                # market,category,effective_from,price,currency
                *,MARKETING,2025-07-01,0.0500,USD
                1,MARKETING,2025-07-01,0.0250,USD
                1,MARKETING,2026-01-01,0.0300,USD
                1242,MARKETING,2025-07-01,0.0700,USD
                """);
        assertThat(card.price("16505551234", MessageCategory.MARKETING, LocalDate.of(2025, 12, 31)))
                .hasValueSatisfying(price -> assertThat(price.amount()).isEqualByComparingTo("0.0250"));
        assertThat(card.price("16505551234", MessageCategory.MARKETING, LocalDate.of(2026, 1, 1)))
                .hasValueSatisfying(price -> assertThat(price.amount()).isEqualByComparingTo("0.0300"));
        assertThat(card.price("12425551234", MessageCategory.MARKETING, LocalDate.of(2026, 1, 1)))
                .hasValueSatisfying(price -> assertThat(price.amount()).isEqualByComparingTo("0.0700"));
        assertThat(card.price("5511999999999", MessageCategory.MARKETING, LocalDate.of(2026, 1, 1)))
                .hasValueSatisfying(price -> assertThat(price.amount()).isEqualByComparingTo("0.0500"));
        assertThat(card.price(null, MessageCategory.MARKETING, LocalDate.of(2026, 1, 1)))
                .hasValueSatisfying(price -> assertThat(price.amount()).isEqualByComparingTo("0.0500"));
        assertThat(card.price("16505551234", MessageCategory.UTILITY, LocalDate.of(2026, 1, 1)))
                .isEmpty();
        assertThat(card.price("16505551234", MessageCategory.MARKETING, LocalDate.of(2025, 6, 30)))
                .isEmpty();
    }

    @Test
    void aFreeMessageCostsZeroInTheMarketsCurrencyAndABillableOneTheRate() {
        CostEstimator costs = new CostEstimator(card("55,UTILITY,2025-07-01,0.0070,BRL\n"));
        Instant july2026 = Instant.parse("2026-07-15T12:00:00Z");

        CostEstimator.Estimate free =
                costs.estimate(MessageCategory.UTILITY, july2026, ZoneId.of("UTC"), true, false, "5511999999999");
        CostEstimator.Estimate billable =
                costs.estimate(MessageCategory.UTILITY, july2026, ZoneId.of("UTC"), false, false, "5511999999999");

        assertThat(free.cost()).isEqualTo(new BigDecimal("0.000000"));
        assertThat(free.currency()).isEqualTo("BRL");
        assertThat(billable.cost()).isEqualTo(new BigDecimal("0.007000"));
        assertThat(costs.estimate(MessageCategory.UTILITY, july2026, ZoneId.of("UTC"), false, false, "4479")
                        .cost())
                .isNull();
    }

    @Test
    void refusesAMalformedLineNamingIt() {
        assertThatThrownBy(() -> card("*,MARKETING,2025-07-01,0.05,USD\n1,PROMO,2025-07-01,0.05,USD\n"))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> card("+1,MARKETING,2025-07-01,0.05,USD\n")).hasMessageContaining("line 1");
    }

    @Test
    void theExampleRateCardShippedWithTheServiceReads() {
        RateCard card = RateCard.read(getClass().getResourceAsStream("/rate-card-example.csv"), "example");
        assertThat(card.price("5511999999999", MessageCategory.SERVICE, LocalDate.of(2026, 11, 1)))
                .isPresent();
    }

    private static RateCard card(String csv) {
        return RateCard.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test");
    }
}
