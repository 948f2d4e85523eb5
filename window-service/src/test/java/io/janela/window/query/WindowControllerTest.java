package io.janela.window.query;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** How each lookup outcome reads over HTTP. */
@WebFluxTest(controllers = WindowController.class, properties = "spring.webflux.problemdetails.enabled=true")
class WindowControllerTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Autowired
    WebTestClient http;

    @MockitoBean
    WindowQueryService queries;

    @Test
    void aKnownWindowIsAnsweredWithItsExpiryTimeLeftAndFreeEntryPoint() {
        WindowView view = new WindowView(
                "106540352242922",
                "US.1",
                true,
                NOW.minusSeconds(3600),
                NOW.plusSeconds(82_800),
                82_800,
                null,
                null,
                NOW.minusSeconds(3600),
                false,
                NOW.minusSeconds(3600),
                new WindowView.FreeEntryPoint("ELIGIBLE", NOW.plusSeconds(82_800), null, false, 0),
                1,
                NOW);
        when(queries.find("106540352242922", "US.1", null))
                .thenReturn(Mono.just(new WindowLookup.Found(view, "host-a:8081")));

        http.get()
                .uri("/windows/106540352242922/US.1")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(WindowController.SERVED_BY, "host-a:8081")
                .expectBody()
                .jsonPath("$.open")
                .isEqualTo(true)
                .jsonPath("$.expiresAt")
                .isEqualTo("2026-11-21T09:00:00Z")
                .jsonPath("$.secondsLeft")
                .isEqualTo(82_800)
                .jsonPath("$.lastInboundAt")
                .isEqualTo("2026-11-20T09:00:00Z")
                .jsonPath("$.freeEntryPoint.status")
                .isEqualTo("ELIGIBLE");
    }

    @Test
    void anUnknownContactIsANotFoundProblem() {
        when(queries.find(eq("106540352242922"), eq("US.2"), isNull()))
                .thenReturn(Mono.just(new WindowLookup.NotFound("host-a:8081")));

        http.get()
                .uri("/windows/106540352242922/US.2")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(404)
                .jsonPath("$.detail")
                .isEqualTo("No window is known for this contact");
    }

    @Test
    void whileNobodyCanAnswerTheClientIsToldToRetry() {
        when(queries.find(any(), any(), any()))
                .thenReturn(Mono.just(new WindowLookup.Unavailable("the owner of this contact is being assigned")));

        http.get()
                .uri("/windows/106540352242922/US.3")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("the owner of this contact is being assigned");
    }

    @Test
    void aPathThatNamesNoContactIsABadRequest() {
        when(queries.find(any(), any(), any()))
                .thenReturn(Mono.just(new WindowLookup.Invalid("a phone number id has no ':'")));

        http.get()
                .uri("/windows/106540352242922:x/US.4")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("a phone number id has no ':'");
    }

    @Test
    void theOwnersAnswerIsRelayedAsItCameWithTheForwardMarkerPassedOn() {
        byte[] body = "{\"contactId\":\"US.5\",\"open\":false}".getBytes(StandardCharsets.UTF_8);
        when(queries.find("106540352242922", "US.5", "host-b:8081"))
                .thenReturn(Mono.just(new WindowLookup.Relayed(200, MediaType.APPLICATION_JSON, body, "host-a:8081")));

        http.get()
                .uri("/windows/106540352242922/US.5")
                .header(OwnerClient.FORWARDED_BY, "host-b:8081")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(WindowController.SERVED_BY, "host-a:8081")
                .expectBody()
                .json("{\"contactId\":\"US.5\",\"open\":false}");
    }
}
