package io.janela.window.query;

import io.janela.window.config.WindowProperties;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Asks the window-service instance that owns a contact (Kafka Streams' {@code application.server} of that instance)
 * for its window, and relays the answer as it came. The request is marked as forwarded so that the owner answers
 * itself or says it cannot, and never forwards again.
 */
@Component
class OwnerClient {

    static final String FORWARDED_BY = "X-Janela-Forwarded-By";

    private final WebClient http;
    private final Duration timeout;

    OwnerClient(WindowProperties properties) {
        this.timeout = properties.query().forwardTimeout();
        this.http = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create()
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                        .responseTimeout(timeout)))
                .build();
    }

    Mono<WindowLookup> window(HostInfo owner, String phoneNumberId, String contactId, String self) {
        URI uri = UriComponentsBuilder.newInstance()
                .scheme("http")
                .host(owner.host())
                .port(owner.port())
                .path(WindowController.PATH)
                .buildAndExpand(phoneNumberId, contactId)
                .encode()
                .toUri();
        return http.get()
                .uri(uri)
                .header(FORWARDED_BY, self)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(body -> (WindowLookup) new WindowLookup.Relayed(
                                response.statusCode().value(),
                                response.headers().contentType().orElse(MediaType.APPLICATION_JSON),
                                body,
                                response.headers().asHttpHeaders().getFirst(WindowController.SERVED_BY))))
                .timeout(timeout)
                .onErrorResume(e -> Mono.just(new WindowLookup.Unavailable(
                        "the instance that owns this contact (" + owner.host() + ":" + owner.port()
                                + ") did not answer: " + e.getClass().getSimpleName())));
    }
}
