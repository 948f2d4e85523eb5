package io.janela.dispatch.policy;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.USER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.PlannedSend;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.rules.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contact's marketing hold is read from the global store under every name of the contact, so the policy asks for
 * it only when a marketing template would go business-initiated: a reply inside the window, the common case, costs no
 * read.
 */
class SendPolicyTest {

    private final AtomicInteger asked = new AtomicInteger();
    private final Supplier<Instant> heldForAnHour = () -> {
        asked.incrementAndGet();
        return NOW.plus(Duration.ofHours(1));
    };

    @BeforeEach
    void trustGeneratedClasses() {
        Fixtures.businessNumber(); // trusts Avro's generated classes
    }

    @Test
    void asksForTheMarketingHoldOnlyWhenAMarketingTemplateWouldGoBusinessInitiated() {
        Decision reply = SendPolicy.apply(send(MessageCategory.SERVICE, null), true, null, heldForAnHour, NOW);
        assertThat(reply).isInstanceOf(Decision.Send.class);
        assertThat(asked).as("a reply inside the window").hasValue(0);

        Decision utility = SendPolicy.apply(send(MessageCategory.UTILITY, null), false, null, heldForAnHour, NOW);
        assertThat(utility).isInstanceOf(Decision.Send.class);
        assertThat(asked).as("a utility template outside the window").hasValue(0);

        Decision marketing = SendPolicy.apply(send(MessageCategory.MARKETING, null), false, null, heldForAnHour, NOW);
        assertThat(((Decision.Refuse) marketing).reason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(asked).as("a marketing template outside the window").hasValue(1);

        Decision withFallback = SendPolicy.apply(
                send(MessageCategory.SERVICE, planned(true, MessageCategory.MARKETING)),
                true,
                null,
                heldForAnHour,
                NOW);
        assertThat(((Decision.Send) withFallback).fallback())
                .as("the held marketing fallback is dropped")
                .isNull();
        assertThat(asked).as("a reply's marketing fallback").hasValue(2);
    }

    private static Decision.Send send(MessageCategory category, PlannedSend fallback) {
        return new Decision.Send(planned(false, category), fallback, null, USER_ID);
    }

    private static PlannedSend planned(boolean fallbackTemplate, MessageCategory category) {
        return PlannedSend.newBuilder()
                .setFallbackTemplate(fallbackTemplate)
                .setCategory(category)
                .build();
    }
}
