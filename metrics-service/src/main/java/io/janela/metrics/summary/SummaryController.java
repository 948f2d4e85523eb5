package io.janela.metrics.summary;

import io.janela.metrics.config.MetricsProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /metrics/summary?phoneNumberId=…&from=…&to=…}: response rate, first-response and response-time
 * quantiles and window counts for people who do not run Prometheus. Answered from the summary store of the instance
 * that owns the phone number; another instance forwards the request there once.
 */
@RestController
class SummaryController {

    static final String FORWARDED = "X-Janela-Summary-Forwarded";

    private final SummaryQuery query;
    private final SummaryOwner owner;
    private final WebClient http;
    private final Clock clock;
    private final Duration defaultRange;
    private final Duration maxRange;

    SummaryController(SummaryQuery query, SummaryOwner owner, Clock clock, MetricsProperties properties) {
        this.query = query;
        this.owner = owner;
        this.http = WebClient.create();
        this.clock = clock;
        this.defaultRange = properties.summary().defaultRange();
        this.maxRange = properties.summary().retention();
    }

    @GetMapping(path = "/metrics/summary", produces = "application/json")
    Mono<SummaryReport> summary(
            @RequestParam(required = false) String phoneNumberId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestHeader(name = FORWARDED, required = false) String forwarded) {
        return Mono.fromCallable(() -> {
                    SummaryRequest request =
                            SummaryRequest.parse(phoneNumberId, from, to, clock.instant(), defaultRange, maxRange);
                    return new Located(request, owner.remoteOwner(request.phoneNumberId()));
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(located -> {
                    if (located.owner().isEmpty()) {
                        return Mono.fromCallable(() -> query.summarize(
                                        located.request().phoneNumberId(),
                                        located.request().from(),
                                        located.request().to()))
                                .subscribeOn(Schedulers.boundedElastic());
                    }
                    if (forwarded != null) {
                        return Mono.error(new SummaryUnavailableException(
                                "the owner of the summary moved while the request was forwarded", null));
                    }
                    return forward(located.owner().get(), located.request());
                });
    }

    @ExceptionHandler(InvalidSummaryRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidSummaryRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid summary request");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(SummaryUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(SummaryUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Summary not available yet");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "5")
                .body(problem);
    }

    private Mono<SummaryReport> forward(HostInfo host, SummaryRequest request) {
        URI uri = UriComponentsBuilder.newInstance()
                .scheme("http")
                .host(host.host())
                .port(host.port())
                .path("/metrics/summary")
                .queryParam("phoneNumberId", request.phoneNumberId())
                .queryParam("from", request.from())
                .queryParam("to", request.to())
                .build()
                .toUri();
        return http.get()
                .uri(uri)
                .header(FORWARDED, "true")
                .retrieve()
                .bodyToMono(SummaryReport.class)
                .onErrorMap(
                        error -> !(error instanceof SummaryUnavailableException),
                        error -> new SummaryUnavailableException(
                                "the instance that owns the summary did not answer: " + error.getMessage(), error));
    }

    private record Located(SummaryRequest request, Optional<HostInfo> owner) {}
}
