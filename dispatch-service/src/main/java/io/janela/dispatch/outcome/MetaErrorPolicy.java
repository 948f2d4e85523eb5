package io.janela.dispatch.outcome;

import io.janela.avro.DispatchReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What the error codes Meta added in 2025–2026 mean for a request that Meta refused (WHATSAPP.md §4.6, §11.4), beyond
 * "failed with this code". None of them is retried: a new attempt of the same request cannot succeed soon.
 *
 * <ul>
 *   <li>131049, Meta's per-user marketing limit: {@link DispatchReason#MARKETING_USER_LIMIT}; that user's marketing
 *       is held for {@link #MARKETING_USER_HOLD} from the refusal (Meta: wait at least 24 h, repeated retries can block
 *       delivery to that user) — {@code retryAfter} says until when;
 *   <li>131062, a business-scoped user id is not a valid recipient for this message (authentication templates,
 *       {@code bid_spec}): {@link DispatchReason#AUTHENTICATION_NEEDS_PHONE_NUMBER} — send it to a phone number;
 *   <li>131064, messaging limit reached for template classification violations (3P source only, pywa; not confirmed on
 *       Meta's own page): {@link DispatchReason#MESSAGING_LIMIT}, no {@code retryAfter} (the enforcement period is not
 *       published);
 *   <li>131063 (marketing templates disabled on Cloud API for a Marketing-Messages-onboarded account), 147001
 *       (username not available; 3P only) and 131060 (message unavailable, an inbound coexistence code not expected on
 *       a send): {@link DispatchReason#META_ERROR}, fixed in configuration, never retried.
 * </ul>
 */
public final class MetaErrorPolicy {

    public static final int PER_USER_MARKETING_LIMIT = 131049;
    public static final int RECIPIENT_NEEDS_PHONE_NUMBER = 131062;
    public static final int MARKETING_TEMPLATES_DISABLED = 131063;
    public static final int TEMPLATE_CLASSIFICATION_LIMIT = 131064;
    public static final int MESSAGE_UNAVAILABLE = 131060;
    public static final int USERNAME_NOT_AVAILABLE = 147001;

    /** Meta: "wait at least 24 hours before resending to that user". */
    public static final Duration MARKETING_USER_HOLD = Duration.ofHours(24);

    /** The 2025–2026 codes: a retry of the same request cannot help, whatever the HTTP status. */
    public static final Set<Integer> NEVER_RETRIED = Set.of(
            PER_USER_MARKETING_LIMIT,
            RECIPIENT_NEEDS_PHONE_NUMBER,
            MARKETING_TEMPLATES_DISABLED,
            TEMPLATE_CLASSIFICATION_LIMIT,
            MESSAGE_UNAVAILABLE,
            USERNAME_NOT_AVAILABLE);

    private MetaErrorPolicy() {}

    /** The reason of a request Meta refused with {@code code} for good. */
    public static DispatchReason reason(Integer code) {
        if (code == null) {
            return DispatchReason.META_ERROR;
        }
        return switch (code) {
            case PER_USER_MARKETING_LIMIT -> DispatchReason.MARKETING_USER_LIMIT;
            case RECIPIENT_NEEDS_PHONE_NUMBER -> DispatchReason.AUTHENTICATION_NEEDS_PHONE_NUMBER;
            case TEMPLATE_CLASSIFICATION_LIMIT -> DispatchReason.MESSAGING_LIMIT;
            default -> DispatchReason.META_ERROR;
        };
    }

    /** The earliest time the same request could go after a refusal with {@code code} at {@code at}; null: unknown. */
    public static Instant retryAfter(Integer code, Instant at) {
        return code != null && code == PER_USER_MARKETING_LIMIT && at != null ? at.plus(MARKETING_USER_HOLD) : null;
    }
}
