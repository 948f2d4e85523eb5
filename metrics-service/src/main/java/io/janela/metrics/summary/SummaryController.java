package io.janela.metrics.summary;

import io.janela.metrics.config.MetricsProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /metrics/summary?phoneNumberId=…&from=…&to=…}: response rate, first-response and response-time
 * quantiles and window counts, for people who do not run Prometheus. Each instance holds the buckets of its own
 * partitions; the instance asked adds up its own and those of the others ({@code GET /metrics/summary/partial}),
 * each partition read on the instance that serves it actively ({@link SummaryPeers}).
 */
@RestController
class SummaryController {

    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);

    private final SummaryQuery query;
    private final SummaryPeers peers;
    private final WebClient http;
    private final Clock clock;
    private final Duration defaultRange;
    private final Duration maxRange;

    SummaryController(SummaryQuery query, SummaryPeers peers, Clock clock, MetricsProperties properties) {
        this.query = query;
        this.peers = peers;
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
            @RequestParam(required = false) String agentId) {
        return Mono.fromCallable(
                        () -> SummaryRequest.parse(phoneNumberId, from, to, clock.instant(), defaultRange, maxRange))
                .zipWith(Mono.fromCallable(() -> Optional.ofNullable(SummaryRequest.agentId(agentId))))
                .flatMap(asked -> {
                    SummaryRequest request = asked.getT1();
                    String agent = asked.getT2().orElse(null);
                    return Mono.fromCallable(peers::assignment)
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(assignment ->
                                    partials(request, agent, assignment).collectList())
                            .map(partials -> query.report(
                                    request.phoneNumberId(), request.from(), request.to(), partials, agent));
                });
    }

    /**
     * This instance's part of a summary, in the summary store's {@code partitions} it serves actively; other
     * instances ask for it. Without {@code partitions}: every partition it holds, each of which it must serve.
     */
    @GetMapping(path = "/metrics/summary/partial", produces = "application/json")
    Mono<SummaryPartial> partial(
            @RequestParam(required = false) String phoneNumberId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String partitions,
            @RequestParam(required = false) String agentId) {
        return Mono.fromCallable(
                        () -> SummaryRequest.parse(phoneNumberId, from, to, clock.instant(), defaultRange, maxRange))
                .zipWith(Mono.fromCallable(() -> Optional.ofNullable(SummaryRequest.agentId(agentId))))
                .flatMap(asked -> {
                    SummaryRequest request = asked.getT1();
                    String agent = asked.getT2().orElse(null);
                    return partitions == null
                            ? local(request, agent, Optional.empty())
                            : Mono.fromCallable(() -> SummaryRequest.partitions(partitions))
                                    .flatMap(numbers -> local(request, agent, Optional.of(numbers)));
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
        problem.setTitle("Summary not available now");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "5")
                .body(problem);
    }

    private Flux<SummaryPartial> partials(SummaryRequest request, String agentId, SummaryAssignment assignment) {
        return switch (assignment) {
            case SummaryAssignment.Alone alone ->
                local(request, agentId, Optional.empty()).flux();
            case SummaryAssignment.Shared shared ->
                Flux.concat(
                        local(request, agentId, Optional.of(shared.local())),
                        Flux.fromIterable(shared.others().entrySet())
                                .flatMap(other -> remote(other.getKey(), other.getValue(), request, agentId)));
        };
    }

    /**
     * This instance's part: in {@code partitions}, or in every partition it holds; with {@code agentId} (null: every
     * agent), only that agent's row and {@code other}.
     */
    private Mono<SummaryPartial> local(SummaryRequest request, String agentId, Optional<Set<Integer>> partitions) {
        return Mono.fromCallable(() -> SummaryQuery.forAgent(
                        partitions.isPresent()
                                ? query.localPartial(
                                        request.phoneNumberId(), request.from(), request.to(), partitions.get())
                                : query.localPartial(request.phoneNumberId(), request.from(), request.to()),
                        agentId))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<SummaryPartial> remote(
            HostInfo host, Set<Integer> partitions, SummaryRequest request, String agentId) {
        URI uri = UriComponentsBuilder.newInstance()
                .scheme("http")
                .host(host.host())
                .port(host.port())
                .path("/metrics/summary/partial")
                .queryParam("phoneNumberId", request.phoneNumberId())
                .queryParam("from", request.from())
                .queryParam("to", request.to())
                .queryParam(
                        "partitions",
                        partitions.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")))
                // A template variable, so that the id is strictly encoded ('+' as %2B, not read back as a space).
                .queryParamIfPresent("agentId", Optional.ofNullable(agentId).map(id -> "{agentId}"))
                .encode()
                .buildAndExpand(agentId == null ? Map.of() : Map.of("agentId", agentId))
                .toUri();
        return http.get()
                .uri(uri)
                .retrieve()
                .bodyToMono(SummaryPartial.class)
                .timeout(PEER_TIMEOUT)
                .onErrorMap(error -> new SummaryUnavailableException(
                        "instance " + host.host() + ":" + host.port() + " did not give its part: " + error.getMessage(),
                        error));
    }
}
