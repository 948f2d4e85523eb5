package io.janela.local;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What the stack prints once everything is ready: where things are and how to use them. */
final class Banner {

    /** The customer the copy-paste lines talk about. */
    static final String EXAMPLE_WA_ID = "5511999990000";

    static final String EXAMPLE_USER_ID = "BR.example0001";

    private Banner() {}

    static String text(LocalStack stack) {
        String services = stack.services().stream()
                .map(service -> String.format(
                        "  %-18s %s   (metrics %s/actuator/prometheus, log %s)",
                        service.name(), service.baseUrl(), service.baseUrl(), service.logFile()))
                .collect(Collectors.joining("\n"));
        String pn = StackService.PHONE_NUMBER_ID;
        String webhook = signedWebhook(Instant.now());
        String window = stack.options().windowLength() == null
                ? "24 h (Meta's)"
                : stack.options().windowLength().toSeconds() + " s (shortened: demonstrations only)";
        return """

                ============================================================================================
                 Janela is running locally
                ============================================================================================
                 Kafka            %s   (KRaft, data in %s)
                 Schema registry  %s
                 Services
                %s
                 Dev endpoint     %s   (POST an outbound request; POST %s: a resolution; not part of Janela)

                 Webhook (Meta -> ingress)   POST %s
                 Window query                GET  %s/windows/{phoneNumberId}/{contactId}
                 Metrics summary             GET  %s/metrics/summary?phoneNumberId=%s
                 Business phone number id    %s (WABA %s), customer service window %s
                 Topics
                %s

                 A customer writes (the sandbox signs and posts the webhook Meta would post):
                   curl -s -X POST %s/sandbox/customer-messages -H 'Content-Type: application/json' \\
                     -d '{"phoneNumberId":"%s","waId":"%s","userId":"%s","text":"Hi!"}'
                 The same, as a signed webhook straight to ingress (signed with the local app secret; dated now, so
                 the window it opens runs from the time of this banner):
                   curl -s -X POST %s -H 'Content-Type: application/json' \\
                     -H 'X-Hub-Signature-256: %s' \\
                     --data-binary '%s'
                 Then the window:
                   curl -s %s/windows/%s/%s
                 Send a message (published to whatsapp.outbound-requests as Avro; the answer lands in
                 whatsapp.dispatch-results, the send in the sandbox: curl -s %s/sandbox/requests):
                   curl -s -X POST %s -H 'Content-Type: application/json' \\
                     -d '{"to":"+%s","userId":"%s","origin":"AGENT","text":"Hello from Janela"}'
                 The conversation is resolved (published to whatsapp.conversation-resolutions, as a helpdesk would):
                 the survey-service asks the customer's satisfaction seconds later (whatsapp.survey-events):
                   curl -s -X POST %s -H 'Content-Type: application/json' \\
                     -d '{"to":"+%s","userId":"%s","reference":"order 4711","agentId":"agent-7","team":"support"}'
                 The customer taps "5 - Excellent" in the survey the sandbox received:
                   curl -s -X POST %s/sandbox/customer-replies -H 'Content-Type: application/json' \\
                     -d '{"phoneNumberId":"%s","waId":"%s","choice":"5"}'

                 Stop with Ctrl-C: services first, then the registry, then Kafka.
                ============================================================================================
                """.formatted(
                        stack.bootstrapServers(),
                        stack.options().dataDirectory(),
                        stack.registryUrl(),
                        services,
                        stack.devEndpointUrl(),
                        stack.resolutionsUrl(),
                        stack.webhookUrl(),
                        stack.baseUrl(StackService.WINDOW),
                        stack.baseUrl(StackService.METRICS),
                        pn,
                        pn,
                        StackService.WABA_ID,
                        window,
                        stack.topics().stream().map(topic -> "  " + topic).collect(Collectors.joining("\n")),
                        stack.baseUrl(StackService.SANDBOX),
                        pn,
                        EXAMPLE_WA_ID,
                        EXAMPLE_USER_ID,
                        stack.webhookUrl(),
                        sign(stack.secrets().appSecret(), webhook),
                        webhook,
                        stack.baseUrl(StackService.WINDOW),
                        pn,
                        EXAMPLE_USER_ID,
                        stack.baseUrl(StackService.SANDBOX),
                        stack.devEndpointUrl(),
                        EXAMPLE_WA_ID,
                        EXAMPLE_USER_ID,
                        stack.resolutionsUrl(),
                        EXAMPLE_WA_ID,
                        EXAMPLE_USER_ID,
                        stack.baseUrl(StackService.SANDBOX),
                        pn,
                        EXAMPLE_WA_ID);
    }

    /** A customer's text message as Meta posts it (WHATSAPP.md §3.5), on one line. */
    static String signedWebhook(Instant at) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"%s\",\"changes\":[{\"value\":"
                        + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000001\","
                        + "\"phone_number_id\":\"%s\"},\"contacts\":[{\"profile\":{\"name\":\"Example Customer\"},"
                        + "\"wa_id\":\"%s\",\"user_id\":\"%s\"}],\"messages\":[{\"from\":\"%s\",\"from_user_id\":\"%s\","
                        + "\"id\":\"wamid.local-example-%d\",\"timestamp\":\"%d\",\"type\":\"text\","
                        + "\"text\":{\"body\":\"Hi! Is my order on its way?\"}}]},\"field\":\"messages\"}]}]}")
                .formatted(
                        StackService.WABA_ID,
                        StackService.PHONE_NUMBER_ID,
                        EXAMPLE_WA_ID,
                        EXAMPLE_USER_ID,
                        EXAMPLE_WA_ID,
                        EXAMPLE_USER_ID,
                        at.getEpochSecond(),
                        at.getEpochSecond());
    }

    /** Meta's {@code X-Hub-Signature-256}: HMAC-SHA256 of the body with the app secret. */
    static String sign(String appSecret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
