package io.janela.dispatch.graph;

import io.janela.dispatch.config.DispatchProperties;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The WebClient of the Graph API: its base URL, a connection pool of its own, a connect timeout, and a response
 * timeout after which a send is treated as in doubt. Calls are observed ({@code http.client.requests}, tagged with
 * the URI template, never a phone number id).
 *
 * <p>A call made with a {@link #REQUEST_SENT} callback in its Reactor context gets that callback run once the request
 * has been written to the connection (Reactor Netty's {@code doAfterRequest}): the moment it leaves for Meta, which
 * can be well after the call was started when the client's event loop or its connection pool is busy.
 */
public final class GraphWebClients {

    /** Reactor context key of a {@link Runnable} to run once a request has been written to its connection. */
    public static final String REQUEST_SENT = GraphWebClients.class.getName() + ".requestSent";

    private GraphWebClients() {}

    public static WebClient create(DispatchProperties.GraphApi graphApi, ObservationRegistry observations) {
        ConnectionProvider pool = ConnectionProvider.builder("graph-api")
                .maxConnections(graphApi.maxConnections())
                .pendingAcquireMaxCount(-1)
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(
                        ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        Math.toIntExact(graphApi.connectTimeout().toMillis()))
                .responseTimeout(graphApi.responseTimeout())
                .doAfterRequest((request, connection) -> request.currentContextView()
                        .<Runnable>getOrEmpty(REQUEST_SENT)
                        .ifPresent(Runnable::run));
        return WebClient.builder()
                .baseUrl(graphApi.baseUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .observationRegistry(observations)
                .build();
    }
}
