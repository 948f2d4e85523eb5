package io.janela.dispatch.pricing;

import io.janela.avro.MessageCategory;
import io.janela.avro.PricingType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The expected pricing type and cost of one message: {@link PricingRules} for the type, the {@link RateCard} for the
 * price of a billable message; free messages cost zero.
 */
public final class CostEstimator {

    /** The prediction for one message. {@code cost} and {@code currency} are null when the rate card has no price. */
    public record Estimate(MessageCategory category, PricingType pricingType, BigDecimal cost, String currency) {}

    private static final int SCALE = 6;

    private final RateCard rateCard;

    public CostEstimator(RateCard rateCard) {
        this.rateCard = rateCard;
    }

    /**
     * @param sendTime when the message goes; the pricing date is its date in {@code zone}, the business account's
     * @param phoneDigits the recipient's phone number as digits, or null when only a user id is known
     */
    public Estimate estimate(
            MessageCategory category,
            Instant sendTime,
            ZoneId zone,
            boolean windowOpen,
            boolean freeEntryPoint,
            String phoneDigits) {
        var date = sendTime.atZone(zone).toLocalDate();
        PricingType type = PricingRules.expected(category, date, windowOpen, freeEntryPoint);
        var price = rateCard.price(phoneDigits, category, date);
        if (price.isEmpty()) {
            return new Estimate(category, type, null, null);
        }
        BigDecimal cost = type == PricingType.REGULAR ? price.get().amount() : BigDecimal.ZERO;
        return new Estimate(
                category,
                type,
                cost.setScale(SCALE, RoundingMode.HALF_UP),
                price.get().currency());
    }
}
