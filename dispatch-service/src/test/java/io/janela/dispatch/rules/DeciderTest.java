package io.janela.dispatch.rules;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WA_ID;
import static io.janela.dispatch.Fixtures.businessNumber;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.openWindow;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PricingType;
import io.janela.avro.Recipient;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplatePayload;
import io.janela.avro.WindowStatus;
import io.janela.dispatch.pricing.CostEstimator;
import io.janela.dispatch.pricing.RateCard;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final Duration MARGIN = Duration.ofMinutes(5);
    private final Decider decider = new Decider(
            MARGIN,
            new CostEstimator(RateCard.read(new ByteArrayInputStream("""
                            *,SERVICE,2026-10-01,0.0100,USD
                            *,UTILITY,2025-07-01,0.0100,USD
                            *,MARKETING,2025-07-01,0.0500,USD
                            *,AUTHENTICATION,2025-07-01,0.0100,USD
                            """.getBytes(StandardCharsets.UTF_8)), "test")));

    private final Map<String, Template> catalog = Map.of(
            "order", catalogEntry("order", TemplateCategory.UTILITY, 1).build(),
            "promo", catalogEntry("promo", TemplateCategory.MARKETING, 0).build(),
            "otp", catalogEntry("otp", TemplateCategory.AUTHENTICATION, 1).build());
    private final Function<TemplatePayload, Template> lookup = payload -> catalog.get(payload.getName());

    @Test
    void sendsFreeFormInsideTheWindowAsAChargedServiceMessageAfterOctober2026() {
        Decision decision = decide(
                text("r-1", "hi").build(),
                openWindow(NOW.minus(Duration.ofHours(1))).build(),
                true);

        Decision.Send send = (Decision.Send) decision;
        assertThat(send.primary().getFallbackTemplate()).isFalse();
        assertThat(send.primary().getCategory()).isEqualTo(MessageCategory.SERVICE);
        assertThat(send.primary().getPricingType()).isEqualTo(PricingType.REGULAR);
        assertThat(send.primary().getEstimatedCost()).isEqualByComparingTo("0.01");
        assertThat(send.recipientUserId()).isEqualTo(USER_ID);
        assertThat(send.to()).isNull();
    }

    @Test
    void asksForTheMarketingPreferenceOnlyWhenATemplateIsChecked() {
        AtomicInteger asked = new AtomicInteger();
        BooleanSupplier optedOut = () -> {
            asked.incrementAndGet();
            return false;
        };
        ContactWindow open = openWindow(NOW.minus(Duration.ofHours(1))).build();

        decider.decide(text("r-1", "hi").build(), businessNumber(), open, optedOut, lookup, NOW, true);
        assertThat(asked).as("a free-form reply inside the window").hasValue(0);

        decider.decide(
                text("r-2", "hi")
                        .setFallbackTemplate(templatePayload("promo").build())
                        .build(),
                businessNumber(),
                open,
                optedOut,
                lookup,
                NOW,
                true);
        assertThat(asked).as("its checked fallback").hasValue(1);

        decider.decide(
                text("r-3", "x").setPayload(templatePayload("promo").build()).build(),
                businessNumber(),
                null,
                optedOut,
                lookup,
                NOW,
                true);
        assertThat(asked).as("a template").hasValue(2);
    }

    @Test
    void doesNotSendFreeFormInsideTheSafetyMarginBeforeExpiry() {
        ContactWindow closingIn4Minutes = openWindow(
                        NOW.minus(Duration.ofHours(24)).plus(Duration.ofMinutes(4)))
                .build();
        assertThat(decide(text("r-1", "hi").build(), closingIn4Minutes, false)).isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void waitsForTheWindowWhileTheGraceLastsThenRejectsWindowClosed() {
        assertThat(decide(text("r-1", "hi").build(), null, true)).isInstanceOf(Decision.Wait.class);
        Decision.Refuse refused = (Decision.Refuse) decide(text("r-1", "hi").build(), null, false);
        assertThat(refused.outcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(refused.reason()).isEqualTo(DispatchReason.WINDOW_CLOSED);
    }

    @Test
    void treatsAWindowTheWindowServiceClosedAsClosedWhateverItsExpiry() {
        ContactWindow closedByMeta = openWindow(NOW.minus(Duration.ofHours(1)))
                .setStatus(WindowStatus.CLOSED)
                .build();
        assertThat(decide(text("r-1", "hi").build(), closedByMeta, false)).isInstanceOf(Decision.Refuse.class);
    }

    @Test
    void sendsTheFallbackTemplateOutsideTheWindow() {
        OutboundRequest request = text("r-1", "hi")
                .setFallbackTemplate(templatePayload("order", "42").build())
                .build();
        Decision.Send send = (Decision.Send) decide(request, null, false);
        assertThat(send.primary().getFallbackTemplate()).isTrue();
        assertThat(send.primary().getCategory()).isEqualTo(MessageCategory.UTILITY);
        assertThat(send.primary().getPricingType()).isEqualTo(PricingType.REGULAR);
        assertThat(send.fallback()).isNull();
    }

    @Test
    void rejectsWithTheFallbacksReasonWhenTheWindowIsClosedAndTheFallbackCannotGo() {
        OutboundRequest request = text("r-1", "hi")
                .setFallbackTemplate(templatePayload("missing").build())
                .build();
        Decision.Refuse refused = (Decision.Refuse) decide(request, null, false);
        assertThat(refused.reason()).isEqualTo(DispatchReason.TEMPLATE_NOT_FOUND);
        assertThat(refused.detail()).contains("window is closed");
    }

    @Test
    void plansTheCheckedFallbackBesideAFreeFormSendForALater131047() {
        OutboundRequest request = text("r-1", "hi")
                .setFallbackTemplate(templatePayload("order", "42").build())
                .build();
        Decision.Send send = (Decision.Send)
                decide(request, openWindow(NOW.minus(Duration.ofHours(1))).build(), true);
        assertThat(send.primary().getFallbackTemplate()).isFalse();
        assertThat(send.fallback()).isNotNull();
        assertThat(send.fallback().getFallbackTemplate()).isTrue();
    }

    @Test
    void rejectsAnExpiredRequestBeforeAnyOtherRule() {
        Decision.Refuse refused = (Decision.Refuse) decide(
                text("r-1", "hi").setExpiresAt(NOW).build(), openWindow(NOW).build(), true);
        assertThat(refused.outcome()).isEqualTo(DispatchOutcome.EXPIRED);
        assertThat(refused.reason()).isEqualTo(DispatchReason.REQUEST_EXPIRED);
    }

    @Test
    void sendsTemplatesWithoutAWindow() {
        Decision.Send send = (Decision.Send) decide(
                text("r-1", "x").setPayload(templatePayload("promo").build()).build(), null, true);
        assertThat(send.primary().getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(send.primary().getEstimatedCost()).isEqualByComparingTo("0.05");
    }

    @Test
    void refusesMarketingToAnOptedOutContact() {
        Decision decision = decider.decide(
                text("r-1", "x").setPayload(templatePayload("promo").build()).build(),
                businessNumber(),
                null,
                () -> true,
                lookup,
                NOW,
                false);
        assertThat(((Decision.Refuse) decision).reason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
    }

    @Test
    void sendsAnAuthenticationTemplateToTheContactsPhoneNumberWhenTheRequestNamesOnlyTheUserId() {
        OutboundRequest otp = text("r-1", "x")
                .setPayload(templatePayload("otp", "123456").build())
                .build();

        Decision.Send known = (Decision.Send)
                decide(otp, openWindow(NOW.minus(Duration.ofDays(3))).build(), false);
        assertThat(known.to()).isEqualTo("+" + WA_ID);
        assertThat(known.recipientUserId()).isNull();

        Decision.Refuse unknown = (Decision.Refuse) decide(otp, null, false);
        assertThat(unknown.reason()).isEqualTo(DispatchReason.AUTHENTICATION_NEEDS_PHONE_NUMBER);
    }

    @Test
    void sendsToThePhoneNumberWhenTheRequestGivesOne() {
        Decision.Send send = (Decision.Send) decide(
                text("r-1", "hi").setRecipient(new Recipient(PHONE, USER_ID)).build(),
                openWindow(NOW.minus(Duration.ofHours(1))).build(),
                true);
        assertThat(send.to()).isEqualTo(PHONE);
        assertThat(send.recipientUserId()).isNull();
    }

    @Test
    void pricesAMessageInsideAFreeEntryPointAsFree() {
        ContactWindow fep = openWindow(NOW.minus(Duration.ofHours(1)))
                .setFepExpiresAt(NOW.plus(Duration.ofHours(48)))
                .build();
        Decision.Send send = (Decision.Send) decide(
                text("r-1", "x").setPayload(templatePayload("promo").build()).build(), fep, true);
        assertThat(send.primary().getPricingType()).isEqualTo(PricingType.FREE_ENTRY_POINT);
        assertThat(send.primary().getEstimatedCost()).isEqualByComparingTo("0");
    }

    private Decision decide(OutboundRequest request, ContactWindow window, boolean mayWait) {
        return decider.decide(request, businessNumber(), window, () -> false, lookup, NOW, mayWait);
    }
}
