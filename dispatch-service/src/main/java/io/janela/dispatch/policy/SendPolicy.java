package io.janela.dispatch.policy;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountRestriction;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.PlannedSend;
import io.janela.dispatch.rules.Decision;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The account's own state and the contact's marketing hold, applied to a send the message rules allowed, before any
 * call to Meta (DESIGN.md §4, "The account's own state"):
 *
 * <ol>
 *   <li>an account restriction in force that forbids the message ({@link AccountRestrictions}): REJECTED
 *       ACCOUNT_RESTRICTED, naming the restriction, {@code retryAfter} its expiry;
 *   <li>a marketing template outside an open window to a contact whose marketing Meta held with 131049: REJECTED
 *       MARKETING_USER_LIMIT until the hold ends (Meta: marketing inside an open window does not count towards the
 *       per-user limit, so it goes).
 * </ol>
 *
 * A checked fallback template (sent only after Meta reports the window closed, so business-initiated) that either rule
 * would refuse is dropped: the free-form message still goes, and a 131047 then ends it FAILED WINDOW_CLOSED.
 */
public final class SendPolicy {

    private SendPolicy() {}

    /**
     * Whether the send is business-initiated, as Meta's messaging limit and restrictions count it: a template (or a
     * free-form message's fallback template) outside an open window. A free-form primary goes only inside the window.
     */
    public static boolean businessInitiated(PlannedSend primary, boolean windowOpen) {
        boolean template = primary.getFallbackTemplate() || primary.getCategory() != MessageCategory.SERVICE;
        return !windowOpen && template;
    }

    /**
     * @param windowOpen whether the contact's customer service window is open now
     * @param restrictions the account's latest ACCOUNT_RESTRICTION event, or null
     * @param marketingHeldUntil the end of the contact's marketing hold, or null; asked only when a marketing
     *     template would go business-initiated (the primary or the checked fallback), so that a reply inside the window
     *     does not read the holds
     */
    public static Decision apply(
            Decision.Send send,
            boolean windowOpen,
            AccountEvent restrictions,
            Supplier<Instant> marketingHeldUntil,
            Instant now) {
        PlannedSend primary = send.primary();
        boolean businessInitiated = businessInitiated(primary, windowOpen);
        Optional<AccountRestriction> restricted = AccountRestrictions.forbidding(restrictions, businessInitiated, now);
        if (restricted.isPresent()) {
            AccountRestriction restriction = restricted.get();
            return new Decision.Refuse(
                    DispatchOutcome.REJECTED,
                    DispatchReason.ACCOUNT_RESTRICTED,
                    "the business account is restricted (" + restriction.getType() + ")"
                            + (restriction.getExpiresAt() == null ? "" : " until " + restriction.getExpiresAt()),
                    primary.getCategory(),
                    restriction.getType(),
                    restriction.getExpiresAt());
        }
        if (businessInitiated && primary.getCategory() == MessageCategory.MARKETING) {
            Instant heldUntil = marketingHeldUntil.get();
            if (heldUntil != null && now.isBefore(heldUntil)) {
                return new Decision.Refuse(
                        DispatchOutcome.REJECTED,
                        DispatchReason.MARKETING_USER_LIMIT,
                        "Meta refused this contact's marketing with 131049 (per-user marketing limit); held until "
                                + heldUntil,
                        primary.getCategory(),
                        null,
                        heldUntil);
            }
        }
        PlannedSend fallback = send.fallback();
        if (fallback != null
                && (AccountRestrictions.forbidding(restrictions, true, now).isPresent()
                        || fallback.getCategory() == MessageCategory.MARKETING
                                && held(marketingHeldUntil.get(), now))) {
            return new Decision.Send(primary, null, send.to(), send.recipientUserId());
        }
        return send;
    }

    private static boolean held(Instant marketingHeldUntil, Instant now) {
        return marketingHeldUntil != null && now.isBefore(marketingHeldUntil);
    }
}
