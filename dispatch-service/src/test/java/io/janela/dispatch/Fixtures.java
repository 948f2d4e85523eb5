package io.janela.dispatch;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.AccountRestriction;
import io.janela.avro.ContactWindow;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.ParameterFormat;
import io.janela.avro.PlannedSend;
import io.janela.avro.PricingType;
import io.janela.avro.Recipient;
import io.janela.avro.RestrictionType;
import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TemplateSource;
import io.janela.avro.TemplateStatus;
import io.janela.avro.TextPayload;
import io.janela.avro.WindowStatus;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.serde.AvroClassTrust;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/** Test data for dispatch's tests: one business number, its contacts, requests, windows and templates. */
public final class Fixtures {

    public static final String PHONE_NUMBER_ID = "106540352242922";
    public static final String WABA_ID = "102290129340398";
    public static final String USER_ID = "US.13491208655302741918";
    public static final String PHONE = "+16505551234";
    public static final String WA_ID = "16505551234";
    public static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    static {
        // Avro 1.12.2 refuses generated classes it was not told to trust; the serde does this in the service.
        AvroClassTrust.trustGeneratedClasses();
    }

    private Fixtures() {}

    public static BusinessNumber businessNumber() {
        return new BusinessNumber(PHONE_NUMBER_ID, WABA_ID, "15550783881", "token", null, 80, ZoneId.of("UTC"));
    }

    public static OutboundRequest.Builder text(String requestId, String body) {
        return OutboundRequest.newBuilder()
                .setRequestId(requestId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setRecipient(new Recipient(null, USER_ID))
                .setCreatedAt(NOW)
                .setPayload(new TextPayload(body, false));
    }

    public static OutboundRequest.Builder template(String requestId, TemplatePayload template) {
        return text(requestId, "unused").setPayload(template);
    }

    public static TemplatePayload.Builder templatePayload(String name, String... positional) {
        return TemplatePayload.newBuilder()
                .setName(name)
                .setLanguage("en_US")
                .setBodyParameters(
                        Arrays.stream(positional).map(Fixtures::textParameter).toList());
    }

    public static TemplateParameter textParameter(String text) {
        return TemplateParameter.newBuilder()
                .setType(TemplateParameterType.TEXT)
                .setText(text)
                .build();
    }

    public static TemplateParameter namedParameter(String name, String text) {
        return TemplateParameter.newBuilder()
                .setName(name)
                .setType(TemplateParameterType.TEXT)
                .setText(text)
                .build();
    }

    public static Template.Builder catalogEntry(String name, TemplateCategory category, int positionalParameters) {
        return Template.newBuilder()
                .setWabaId(WABA_ID)
                .setName(name)
                .setLanguage("en_US")
                .setStatus(TemplateStatus.APPROVED)
                .setCategory(category)
                .setParameterFormat(ParameterFormat.POSITIONAL)
                .setBodyParameterCount(positionalParameters)
                .setSource(TemplateSource.SYNC)
                .setUpdatedAt(NOW.minus(Duration.ofDays(1)));
    }

    public static Template.Builder namedCatalogEntry(String name, TemplateCategory category, List<String> names) {
        return catalogEntry(name, category, names.size())
                .setParameterFormat(ParameterFormat.NAMED)
                .setBodyParameterNames(names);
    }

    /** A decided send of a request, to its user id, as a free-form SERVICE message (or its template). */
    public static SendCommand sendCommand(OutboundRequest request, PlannedSend fallback) {
        boolean template = request.getPayload() instanceof TemplatePayload;
        return SendCommand.newBuilder()
                .setRequestId(request.getRequestId())
                .setKind(SendKind.PRIMARY)
                .setPhoneNumberId(request.getPhoneNumberId())
                .setContactId(
                        request.getRecipient().getUserId() != null
                                ? request.getRecipient().getUserId()
                                : request.getRecipient().getPhoneNumber().substring(1))
                .setTo(request.getRecipient().getPhoneNumber())
                .setRecipientUserId(
                        request.getRecipient().getPhoneNumber() == null
                                ? request.getRecipient().getUserId()
                                : null)
                .setRequest(request)
                .setPrimary(PlannedSend.newBuilder()
                        .setFallbackTemplate(false)
                        .setCategory(template ? MessageCategory.UTILITY : MessageCategory.SERVICE)
                        .setPricingType(PricingType.REGULAR)
                        .build())
                .setFallback(fallback)
                .setDecidedAt(NOW)
                .build();
    }

    /** Sender settings for tests and benchmarks: the defaults, with short retries. */
    public static DispatchProperties.Sender senderSettings(
            String instanceId, int maxAttempts, DispatchProperties.InDoubtResolution resolution) {
        return senderSettings(instanceId, maxAttempts, resolution, 1.0, 0.02);
    }

    /**
     * As above, aiming at {@code throughputShare} of each number's limit, the pace lowered by {@code backoffStep} after
     * each 130429 (0: never).
     */
    public static DispatchProperties.Sender senderSettings(
            String instanceId,
            int maxAttempts,
            DispatchProperties.InDoubtResolution resolution,
            double throughputShare,
            double backoffStep) {
        return senderSettings(
                instanceId,
                maxAttempts,
                resolution,
                throughputShare,
                backoffStep,
                DispatchProperties.ThroughputCountedAt.ANSWER);
    }

    /** As above, each call counted against its number's second from {@code countedAt} on. */
    public static DispatchProperties.Sender senderSettings(
            String instanceId,
            int maxAttempts,
            DispatchProperties.InDoubtResolution resolution,
            double throughputShare,
            double backoffStep,
            DispatchProperties.ThroughputCountedAt countedAt) {
        return new DispatchProperties.Sender(
                instanceId,
                64,
                100_000,
                Duration.ofMillis(500),
                Duration.ofMillis(100),
                throughputShare,
                Duration.ofSeconds(6),
                45,
                Duration.ofSeconds(6),
                maxAttempts,
                Duration.ofSeconds(1),
                Duration.ofSeconds(8),
                Duration.ofSeconds(60),
                6,
                Duration.ofMinutes(2),
                resolution,
                Duration.ofMinutes(2),
                Duration.ofSeconds(10),
                true,
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                new DispatchProperties.ThroughputLevels(80, 1000, false, Duration.ofSeconds(5)),
                new DispatchProperties.ThroughputBackoff(backoffStep, 0.9, Duration.ofSeconds(30)),
                countedAt);
    }

    /** A checked fallback template plan. */
    public static PlannedSend fallbackPlan() {
        return PlannedSend.newBuilder()
                .setFallbackTemplate(true)
                .setCategory(MessageCategory.MARKETING)
                .setPricingType(PricingType.REGULAR)
                .build();
    }

    /** A window opened by a message at {@code lastInboundAt}, so it expires 24 hours later. */
    public static ContactWindow.Builder openWindow(Instant lastInboundAt) {
        return ContactWindow.newBuilder()
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(USER_ID)
                .setUserId(USER_ID)
                .setWaId(WA_ID)
                .setStatus(WindowStatus.OPEN)
                .setLastInboundAt(lastInboundAt)
                .setOpenedAt(lastInboundAt)
                .setExpiresAt(lastInboundAt.plus(Duration.ofHours(24)))
                .setLastEventAt(lastInboundAt);
    }

    /** A window opened by a message at {@code lastInboundAt} and closed 24 hours later. */
    public static ContactWindow.Builder closedWindow(Instant lastInboundAt) {
        return openWindow(lastInboundAt)
                .setStatus(WindowStatus.CLOSED)
                .setClosedAt(lastInboundAt.plus(Duration.ofHours(24)));
    }

    /**
     * An {@code account_update} ACCOUNT_RESTRICTION of the fixture's business account as ingress publishes it, at Meta's
     * time {@code at}: one restriction of this type until {@code expiry} (null: none given), or, with a null type, the
     * lifting of every restriction.
     */
    public static AccountEvent restriction(RestrictionType type, Instant expiry, Instant at) {
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.RESTRICTION)
                .setField("account_update")
                .setEvent("ACCOUNT_RESTRICTION")
                .setWabaId(WABA_ID)
                .setRestrictions(type == null ? List.of() : List.of(new AccountRestriction(type, type.name(), expiry)))
                .setTimestamp(at)
                .setRawJson("{}")
                .build();
    }
}
