package io.janela.dispatch.policy;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * A business portfolio's messaging limit as Meta last stated it (WHATSAPP.md §6.3, §11.3): the number of unique users
 * the portfolio may reach with business-initiated messages (templates outside a customer service window) in a moving
 * 24 h. Meta states it per business account ({@code business_capability_update}, or a {@code
 * phone_number_quality_update} that carries {@code max_daily_conversations_per_business}; ingress publishes both as
 * MESSAGING_LIMIT account events), and the limit is the portfolio's: of the events of the portfolio's accounts, the
 * newest by Meta's time holds.
 *
 * @param users the unique users allowed; null when Janela is not to count against one: unlimited, not set, or a tier
 *     it does not know
 * @param tier the tier as Meta named it (TIER_2K, TIER_UNLIMITED, …); null when Meta has not said
 * @param since Meta's time of the statement; null when Meta has not said
 */
public record PortfolioLimit(Long users, String tier, Instant since) {

    /** Meta has not told this portfolio's limit (no event yet): nothing is refused before Meta would refuse it. */
    public static final PortfolioLimit UNKNOWN = new PortfolioLimit(null, null, null);

    /** The newest MESSAGING_LIMIT statement among these account events (nulls and other kinds ignored). */
    public static PortfolioLimit newest(Collection<AccountEvent> events) {
        return events.stream()
                .filter(Objects::nonNull)
                .filter(event -> event.getKind() == AccountEventKind.MESSAGING_LIMIT)
                .max((a, b) -> a.getTimestamp().compareTo(b.getTimestamp()))
                .map(event -> new PortfolioLimit(
                        event.getMessagingLimit() == null || event.getMessagingLimit() < 0
                                ? null
                                : event.getMessagingLimit(),
                        event.getMessagingLimitTier(),
                        event.getTimestamp()))
                .orElse(UNKNOWN);
    }

    public boolean limited() {
        return users != null;
    }
}
