package io.janela.dispatch.graph;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Graph API calls dispatch makes: sends ({@code POST /{version}/{phone-number-id}/messages}), template listings
 * ({@code GET /{version}/{waba-id}/message_templates}) and a number's throughput level ({@code GET
 * /{version}/{phone-number-id}?fields=throughput}). The WebClient it is given carries the base URL and timeouts.
 *
 * <p>A send never fails its {@code Mono}: every way it can end is a {@link SendResponse}, so that the sender decides
 * what each means. Tokens go only into the {@code Authorization} header; nothing here logs.
 */
public final class GraphApiClient {

    private static final String FIELDS = "id,name,language,status,category,parameter_format,components,quality_score";

    private final WebClient web;
    private final String version;
    private final JsonMapper json;

    public GraphApiClient(WebClient web, String version, JsonMapper json) {
        this.web = web;
        this.version = version;
        this.json = json;
    }

    public Mono<SendResponse> send(String phoneNumberId, String accessToken, MessageRequest message) {
        return send(phoneNumberId, accessToken, message, () -> {});
    }

    /**
     * A send that runs {@code requestSent} once its request has been written to the connection, when the WebClient is
     * one of {@link GraphWebClients} (others never run it). It may not run at all (the request never left: no
     * connection) and may run after the answer came (a server that answers before reading the whole request).
     */
    public Mono<SendResponse> send(
            String phoneNumberId, String accessToken, MessageRequest message, Runnable requestSent) {
        return web.post()
                .uri("/{version}/{phoneNumberId}/messages", version, phoneNumberId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(message)
                .exchangeToMono(this::sendResponse)
                .onErrorResume(e -> Mono.just(unanswered(e)))
                .contextWrite(context -> context.put(GraphWebClients.REQUEST_SENT, requestSent));
    }

    /** One page of a business account's templates, from {@code after} (null: the first page). */
    public Mono<TemplatePage> listTemplates(String wabaId, String accessToken, String after, int limit) {
        return web.get()
                .uri(builder -> {
                    builder.path("/{version}/{wabaId}/message_templates")
                            .queryParam("fields", FIELDS)
                            .queryParam("limit", limit);
                    if (after != null) {
                        builder.queryParam("after", after);
                    }
                    return builder.build(version, wabaId);
                })
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(body -> templatePage(response.statusCode().value(), body)));
    }

    /**
     * A business number's throughput level as Meta states it now: {@code GET /{version}/{phone-number-id}?fields=
     * throughput}, answered {@code {"throughput": {"level": "STANDARD" | "HIGH" | "NOT_APPLICABLE"}, "id": "..."}}
     * (WHATSAPP.md §6.1). The level as Meta spelled it, or an empty {@code Mono} when the answer names none; a
     * refusal fails with a {@link GraphApiException} carrying Meta's error.
     */
    public Mono<String> throughputLevel(String phoneNumberId, String accessToken) {
        return web.get()
                .uri(builder -> builder.path("/{version}/{phoneNumberId}")
                        .queryParam("fields", "throughput")
                        .build(version, phoneNumberId))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .mapNotNull(
                                body -> throughputLevel(response.statusCode().value(), body)));
    }

    private String throughputLevel(int status, byte[] body) {
        if (status / 100 != 2) {
            GraphError error = error(body);
            throw new GraphApiException(
                    status,
                    error,
                    "asking the throughput level failed with HTTP " + status
                            + (error == null ? "" : ": " + error.describe()));
        }
        PhoneNumberBody number = json.readValue(body, PhoneNumberBody.class);
        return number.throughput() == null ? null : number.throughput().level();
    }

    private Mono<SendResponse> sendResponse(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> {
            if (response.statusCode().is2xxSuccessful()) {
                SendBody accepted = json.readValue(body, SendBody.class);
                if (accepted.messages() == null || accepted.messages().isEmpty()) {
                    return new SendResponse.Refused(status, null);
                }
                SendBody.Contact contact =
                        accepted.contacts() == null || accepted.contacts().isEmpty()
                                ? new SendBody.Contact(null, null, null)
                                : accepted.contacts().getFirst();
                SendBody.Message message = accepted.messages().getFirst();
                return new SendResponse.Accepted(
                        message.id(), contact.waId(), contact.userId(), message.messageStatus());
            }
            return new SendResponse.Refused(status, error(body));
        });
    }

    private TemplatePage templatePage(int status, byte[] body) {
        if (status / 100 != 2) {
            GraphError error = error(body);
            throw new GraphApiException(
                    status,
                    error,
                    "listing templates failed with HTTP " + status + (error == null ? "" : ": " + error.describe()));
        }
        ListBody page = json.readValue(body, ListBody.class);
        String next = page.paging() == null
                        || page.paging().next() == null
                        || page.paging().cursors() == null
                ? null
                : page.paging().cursors().after();
        return new TemplatePage(page.data() == null ? List.of() : page.data(), next);
    }

    /** The Graph error in a body, or null when the body is not a Graph error envelope. */
    private GraphError error(byte[] body) {
        try {
            ErrorEnvelope envelope = json.readValue(body, ErrorEnvelope.class);
            ErrorEnvelope.Error error = envelope.error();
            if (error == null || error.code() == null) {
                return null;
            }
            return new GraphError(
                    error.code(),
                    error.errorSubcode(),
                    error.type(),
                    error.message(),
                    error.errorData() == null ? null : error.errorData().details(),
                    error.fbtraceId());
        } catch (JacksonException e) {
            return null;
        }
    }

    private static SendResponse unanswered(Throwable e) {
        Throwable cause = e instanceof WebClientRequestException && e.getCause() != null ? e.getCause() : e;
        boolean neverLeft = cause instanceof ConnectException
                || cause instanceof ConnectTimeoutException
                || cause instanceof UnknownHostException;
        boolean timedOut = cause instanceof TimeoutException
                || cause instanceof io.netty.handler.timeout.ReadTimeoutException
                || cause.getClass().getSimpleName().contains("Timeout");
        return new SendResponse.Unanswered(
                !neverLeft, (timedOut ? "timeout: " : "") + cause.getClass().getSimpleName());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SendBody(List<Contact> contacts, List<Message> messages) {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Contact(
                String input,
                @JsonProperty("wa_id") String waId,
                @JsonProperty("user_id") String userId) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Message(
                String id, @JsonProperty("message_status") String messageStatus) {}
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorEnvelope(Error error) {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Error(
                String message,
                String type,
                Integer code,
                @JsonProperty("error_subcode") Integer errorSubcode,
                @JsonProperty("error_data") ErrorData errorData,
                @JsonProperty("fbtrace_id") String fbtraceId) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record ErrorData(String details) {}
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PhoneNumberBody(String id, Throughput throughput) {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Throughput(String level) {}
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ListBody(List<ListedTemplate> data, Paging paging) {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Paging(Cursors cursors, String next) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Cursors(String before, String after) {}
    }
}
