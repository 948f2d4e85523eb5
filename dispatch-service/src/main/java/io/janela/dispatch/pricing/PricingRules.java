package io.janela.dispatch.pricing;

import io.janela.avro.MessageCategory;
import io.janela.avro.PricingType;
import java.time.LocalDate;

/**
 * The pricing type Meta will apply to a message, by the rules in force on its send date (WHATSAPP.md §2.2–§2.3). The
 * date is the business account's calendar date: Meta switches at midnight in the account's time zone.
 *
 * <ul>
 *   <li>inside a free entry point window every message is free ({@code FREE_ENTRY_POINT}), in every period;
 *   <li>before 2025-07-01 (conversation-based pricing) service conversations were free since 2024-11-01 and templates
 *       opened charged conversations; we predict {@code FREE_CUSTOMER_SERVICE} for service messages and
 *       {@code REGULAR} for templates (per-conversation charges are not modelled);
 *   <li>from 2025-07-01 (per-message pricing) service messages, and utility templates inside an open customer service
 *       window, are {@code FREE_CUSTOMER_SERVICE}; other templates {@code REGULAR};
 *   <li>from 2026-10-01 service messages and utility templates inside the window are charged too: everything is
 *       {@code REGULAR} outside free entry points.
 * </ul>
 */
final class PricingRules {

    /** Per-message pricing replaced conversation-based pricing. */
    public static final LocalDate PER_MESSAGE_PRICING = LocalDate.of(2025, 7, 1);

    /** Service messages and utility templates inside the window became billable. */
    public static final LocalDate SERVICE_CHARGED = LocalDate.of(2026, 10, 1);

    private PricingRules() {}

    public static PricingType expected(
            MessageCategory category, LocalDate sendDate, boolean windowOpen, boolean freeEntryPoint) {
        if (freeEntryPoint) {
            return PricingType.FREE_ENTRY_POINT;
        }
        if (!sendDate.isBefore(SERVICE_CHARGED)) {
            return PricingType.REGULAR;
        }
        if (category == MessageCategory.SERVICE) {
            return PricingType.FREE_CUSTOMER_SERVICE;
        }
        if (!sendDate.isBefore(PER_MESSAGE_PRICING) && category == MessageCategory.UTILITY && windowOpen) {
            return PricingType.FREE_CUSTOMER_SERVICE;
        }
        return PricingType.REGULAR;
    }
}
