package io.janela.sandbox.webhooks;

import io.janela.sandbox.config.SandboxProperties.PhoneNumber;
import io.janela.sandbox.graph.GraphError;
import java.time.Instant;

/**
 * A message the sandbox accepted, with what its status webhooks say.
 *
 * @param recipientId the phone number (digits) it went to, if known
 * @param recipientUserId the business-scoped user id it went to, if known
 * @param pricingCategory {@code service} for free-form, else the template's category in lower case
 * @param pricingType {@code regular}, {@code free_customer_service} or {@code free_entry_point}
 * @param failure a {@code failed} status to send instead of sent/delivered/read, or null
 */
public record AcceptedMessage(
        String wamid,
        PhoneNumber phoneNumber,
        String recipientId,
        String recipientUserId,
        boolean sentToUserId,
        String callbackData,
        String pricingCategory,
        String pricingType,
        Instant acceptedAt,
        GraphError failure) {}
