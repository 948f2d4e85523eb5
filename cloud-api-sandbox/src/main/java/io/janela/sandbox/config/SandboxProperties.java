package io.janela.sandbox.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * The sandbox's settings, prefix {@code janela.sandbox}.
 *
 * @param phoneNumbers the business phone numbers it knows; a send from any other id is refused as Meta does
 * @param webhookUrl where status webhooks go; none: no webhooks
 * @param appSecret the app secret that signs webhooks ({@code X-Hub-Signature-256}); required with a webhook URL.
 *     From the environment, never from a file in the repository
 * @param statusDelay the pause before each status webhook of an accepted message
 * @param statuses which statuses an accepted message goes through
 * @param windowEnforcement how a free-form send outside the window fails: {@code ASYNC} (HTTP 200, then a
 *     {@code failed} status with 131047, as Meta usually does) or {@code SYNC} (an HTTP 400 with 131047)
 * @param windowLength the customer service window
 * @param webhookAttempts attempts to deliver one webhook before it is dropped (Meta retries for days)
 * @param webhookRetryBackoff the first pause between webhook attempts; doubles each time
 * @param webhookRetryMaxBackoff the longest pause between webhook attempts (the local stack's fault scenarios keep
 *     retrying through minutes of ingress outage with many attempts and a short cap)
 * @param requestLogSize how many send requests the control API remembers
 * @param templates a JSON file {@code {"<waba-id>": [<template as GET message_templates lists it>...]}} loaded at start
 */
@ConfigurationProperties("janela.sandbox")
@Validated
public record SandboxProperties(
        @DefaultValue List<@Valid PhoneNumber> phoneNumbers,
        URI webhookUrl,
        String appSecret,
        @NotNull @DefaultValue("200ms") Duration statusDelay,

        @NotNull @DefaultValue({"SENT", "DELIVERED", "READ"})
        List<StatusKind> statuses,

        @NotNull @DefaultValue("ASYNC") WindowEnforcement windowEnforcement,
        @NotNull @DefaultValue("24h") Duration windowLength,
        @Min(1) @DefaultValue("5") int webhookAttempts,
        @NotNull @DefaultValue("1s") Duration webhookRetryBackoff,
        @NotNull @DefaultValue("1h") Duration webhookRetryMaxBackoff,
        @Min(1) @DefaultValue("100000") int requestLogSize,
        Resource templates) {

    public SandboxProperties {
        if (webhookUrl != null && (appSecret == null || appSecret.isBlank())) {
            throw new IllegalArgumentException(
                    "janela.sandbox.app-secret is required with janela.sandbox.webhook-url: webhooks are signed");
        }
    }

    public Optional<PhoneNumber> phoneNumber(String id) {
        return phoneNumbers.stream().filter(number -> number.id().equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return "SandboxProperties[phoneNumbers=" + phoneNumbers + ", webhookUrl=" + webhookUrl + ", appSecret="
                + (appSecret == null ? "none" : "(set)") + ", statusDelay=" + statusDelay + ", statuses=" + statuses
                + ", windowEnforcement=" + windowEnforcement + "]";
    }

    /**
     * A business phone number.
     *
     * @param id the phone number id ({@code metadata.phone_number_id})
     * @param wabaId the WhatsApp Business Account it belongs to
     * @param displayPhoneNumber {@code metadata.display_phone_number}
     * @param accessToken the bearer token sends must carry; none: any non-blank token is accepted
     * @param throughputLimit messages per second before 130429; 0: not enforced
     * @param throughputLevel the level {@code GET /{phone-number-id}?fields=throughput} answers: STANDARD (Meta's
     *     default, 80 messages/s), HIGH or NOT_APPLICABLE
     */
    public record PhoneNumber(
            @NotBlank String id,
            @NotBlank String wabaId,
            @NotBlank String displayPhoneNumber,
            String accessToken,
            @Min(0) @DefaultValue("0") int throughputLimit,

            @NotNull @Pattern(regexp = "STANDARD|HIGH|NOT_APPLICABLE") @DefaultValue("STANDARD")
            String throughputLevel) {

        @Override
        public String toString() {
            return "PhoneNumber[id=" + id + ", wabaId=" + wabaId + ", accessToken="
                    + (accessToken == null ? "any" : "(set)") + ", throughputLimit=" + throughputLimit
                    + ", throughputLevel=" + throughputLevel + "]";
        }
    }

    public enum StatusKind {
        SENT,
        DELIVERED,
        READ
    }

    public enum WindowEnforcement {
        ASYNC,
        SYNC
    }
}
