package io.janela.dispatch.rules;

import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PlannedSend;
import io.janela.avro.Template;
import io.janela.avro.TemplatePayload;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.pricing.CostEstimator;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * DESIGN.md §4's decision for a valid, non-duplicate request, in order: expired → EXPIRED; a template → the catalog
 * checks; free-form inside the window (less the safety margin) → send, its fallback template checked for a later
 * 131047; free-form outside → wait while the grace period lasts, then the fallback template if it passes, else
 * REJECTED WINDOW_CLOSED. Every send names its category, expected pricing type and estimated cost.
 */
public final class Decider {

    private final Duration safetyMargin;
    private final CostEstimator costs;

    public Decider(Duration safetyMargin, CostEstimator costs) {
        this.safetyMargin = safetyMargin;
        this.costs = costs;
    }

    /**
     * @param window the contact's window state, or null when none is known
     * @param optedOutOfMarketing whether the contact stopped marketing messages; asked only when a template is checked
     *     (the request's, or a free-form request's fallback), so that a free-form reply does not read the preferences
     * @param catalog the catalog entry of a template of the request's business account, or null when absent
     * @param mayWait whether a free-form request without an open window may still wait for the window state
     */
    public Decision decide(
            OutboundRequest request,
            BusinessNumber number,
            ContactWindow window,
            BooleanSupplier optedOutOfMarketing,
            Function<TemplatePayload, Template> catalog,
            Instant now,
            boolean mayWait) {
        if (request.getExpiresAt() != null && !now.isBefore(request.getExpiresAt())) {
            return new Decision.Refuse(
                    DispatchOutcome.EXPIRED,
                    DispatchReason.REQUEST_EXPIRED,
                    "the request expired at " + request.getExpiresAt(),
                    MessageCategory.UNKNOWN);
        }
        Destination destination = Destination.of(request, window);
        boolean windowOpen = WindowRule.isOpen(window, now);
        boolean freeEntryPoint = WindowRule.inFreeEntryPoint(window, now);
        if (request.getPayload() instanceof TemplatePayload template) {
            Destination to = destination.forTemplate(template, catalog, now);
            return switch (TemplateRules.check(
                    template,
                    catalog.apply(template),
                    now,
                    optedOutOfMarketing.getAsBoolean(),
                    to.phoneDigits() != null)) {
                case TemplateVerdict.Refused refused ->
                    new Decision.Refuse(
                            DispatchOutcome.REJECTED, refused.reason(), refused.detail(), refused.category());
                case TemplateVerdict.Allowed allowed ->
                    new Decision.Send(
                            plan(false, allowed.category(), number, now, windowOpen, freeEntryPoint, to),
                            null,
                            to.to(),
                            to.userId());
            };
        }
        if (WindowRule.allowsFreeForm(window, now, safetyMargin)) {
            PlannedSend fallback = null;
            if (request.getFallbackTemplate() != null) {
                TemplatePayload template = request.getFallbackTemplate();
                Destination to = destination.forTemplate(template, catalog, now);
                // Checked now, so that the sender can send it at once on a 131047; at that point the window is closed.
                if (TemplateRules.check(
                                template,
                                catalog.apply(template),
                                now,
                                optedOutOfMarketing.getAsBoolean(),
                                to.phoneDigits() != null)
                        instanceof TemplateVerdict.Allowed allowed) {
                    fallback = plan(true, allowed.category(), number, now, false, freeEntryPoint, to);
                }
            }
            return new Decision.Send(
                    plan(false, MessageCategory.SERVICE, number, now, true, freeEntryPoint, destination),
                    fallback,
                    destination.to(),
                    destination.userId());
        }
        if (mayWait) {
            return new Decision.Wait(Decision.Wait.WINDOW);
        }
        if (request.getFallbackTemplate() == null) {
            return new Decision.Refuse(
                    DispatchOutcome.REJECTED,
                    DispatchReason.WINDOW_CLOSED,
                    window == null
                            ? "no customer service window is known for the contact"
                            : "the customer service window is closed or closes within " + safetyMargin,
                    MessageCategory.SERVICE);
        }
        TemplatePayload template = request.getFallbackTemplate();
        Destination to = destination.forTemplate(template, catalog, now);
        return switch (TemplateRules.check(
                template, catalog.apply(template), now, optedOutOfMarketing.getAsBoolean(), to.phoneDigits() != null)) {
            case TemplateVerdict.Refused refused ->
                new Decision.Refuse(
                        DispatchOutcome.REJECTED,
                        refused.reason(),
                        "the window is closed and the fallback template cannot go: " + refused.detail(),
                        refused.category());
            case TemplateVerdict.Allowed allowed ->
                new Decision.Send(
                        plan(true, allowed.category(), number, now, windowOpen, freeEntryPoint, to),
                        null,
                        to.to(),
                        to.userId());
        };
    }

    private PlannedSend plan(
            boolean fallbackTemplate,
            MessageCategory category,
            BusinessNumber number,
            Instant now,
            boolean windowOpen,
            boolean freeEntryPoint,
            Destination destination) {
        CostEstimator.Estimate estimate =
                costs.estimate(category, now, number.timezone(), windowOpen, freeEntryPoint, destination.phoneDigits());
        return PlannedSend.newBuilder()
                .setFallbackTemplate(fallbackTemplate)
                .setCategory(category)
                .setPricingType(estimate.pricingType())
                .setEstimatedCost(estimate.cost())
                .setCurrency(estimate.currency())
                .build();
    }

    /**
     * Where a message goes: the request's phone number, else its user id. An authentication template cannot go to a
     * user id (131062), so it goes to the contact's phone number when the window state knows it.
     */
    record Destination(String to, String userId, String phoneDigits) {

        static Destination of(OutboundRequest request, ContactWindow window) {
            String phone = request.getRecipient().getPhoneNumber();
            if (phone != null && !phone.isBlank()) {
                return new Destination(phone, null, phone.substring(1));
            }
            String knownWaId = window == null ? null : window.getWaId();
            return new Destination(null, request.getRecipient().getUserId(), knownWaId);
        }

        Destination forTemplate(TemplatePayload template, Function<TemplatePayload, Template> catalog, Instant now) {
            Template entry = catalog.apply(template);
            boolean authentication =
                    entry != null && TemplateRules.categoryAt(entry, now) == MessageCategory.AUTHENTICATION;
            if (authentication && to == null) {
                return phoneDigits == null ? this : new Destination("+" + phoneDigits, null, phoneDigits);
            }
            return this;
        }
    }
}
