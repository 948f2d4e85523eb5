package io.janela.ingress.webhook;

import io.janela.ingress.handshake.VerificationHandshake;
import io.janela.ingress.publish.SchemaWarmUp;
import io.janela.ingress.signature.SignatureCheck;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.ingress.webhook.WebhookMetrics.RequestOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The Callback URL: Meta's verification handshake (GET) and its webhooks (POST). It maps HTTP to the handshake, the
 * signature check and {@link WebhookIngestion}, and nothing else.
 *
 * <p>POST, in order: a declared length above the limit is refused (413) before anything is read; a missing or
 * malformed signature header is refused (401) before the body is read; the body is read up to the limit (413
 * beyond); then the signature is checked over the bytes as received (401) and the body is ingested. 200 means Kafka
 * acknowledged every record (or the dead-letter record); 503 that it did not in time.
 *
 * <p>Nothing on this path blocks (the producer runs with {@code max.block.ms=0}, and the serializers answer from
 * their cache once {@link SchemaWarmUp} is done), so a body of up to {@code inlineBodyLimit} bytes is checked, parsed
 * and handed to Kafka on the event loop that read it: about a millisecond of work at most, and no thread hop. Larger
 * bodies (up to a thousand items) move to {@code worker} so that they do not hold up the other connections of that
 * event loop. Until the serializers know their schemas, every body moves to {@code blockingWorker}, since the first
 * serialisation of a schema asks the registry over HTTP.
 */
public final class WebhookHandler {

    private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
    private static final byte[] EMPTY = new byte[0];

    private final VerificationHandshake handshake;
    private final SignatureVerifier signatures;
    private final WebhookIngestion ingestion;
    private final WebhookMetrics metrics;
    private final Scheduler worker;
    private final Scheduler blockingWorker;
    private final SchemaWarmUp schemas;
    private final int maxBodyBytes;
    private final int inlineBodyLimit;
    private final Duration backstop;

    /**
     * @param worker where bodies larger than {@code inlineBodyLimit} are checked, parsed and handed to Kafka
     * @param blockingWorker where every body goes until {@code schemas} is done
     * @param backstop the longest a request waits for the producer; the producer reports within its metadata wait
     *     plus {@code delivery.timeout.ms}, so this only fires if it does not
     */
    public WebhookHandler(
            VerificationHandshake handshake,
            SignatureVerifier signatures,
            WebhookIngestion ingestion,
            WebhookMetrics metrics,
            Scheduler worker,
            Scheduler blockingWorker,
            SchemaWarmUp schemas,
            int maxBodyBytes,
            int inlineBodyLimit,
            Duration backstop) {
        this.handshake = handshake;
        this.signatures = signatures;
        this.ingestion = ingestion;
        this.metrics = metrics;
        this.worker = worker;
        this.blockingWorker = blockingWorker;
        this.schemas = schemas;
        this.maxBodyBytes = maxBodyBytes;
        this.inlineBodyLimit = inlineBodyLimit;
        this.backstop = backstop;
    }

    /** GET: {@code hub.mode=subscribe} with the right {@code hub.verify_token} → 200 and the challenge; else 403. */
    public Mono<ServerResponse> verify(ServerRequest request) {
        Optional<String> challenge = handshake.answer(
                request.queryParam("hub.mode").orElse(null),
                request.queryParam("hub.verify_token").orElse(null),
                request.queryParam("hub.challenge").orElse(null));
        metrics.handshake(challenge.isPresent());
        if (challenge.isEmpty()) {
            log.warn("Refused a verification handshake: wrong mode, token or no challenge");
            return ServerResponse.status(HttpStatus.FORBIDDEN).build();
        }
        log.info("Answered Meta's verification handshake");
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_PLAIN)
                // The challenge is echoed as sent; text/plain without sniffing keeps a browser from running it.
                .header("X-Content-Type-Options", "nosniff")
                .bodyValue(challenge.get());
    }

    /** POST: a webhook. */
    public Mono<ServerResponse> receive(ServerRequest request) {
        OptionalLong declaredLength = request.headers().contentLength();
        if (declaredLength.isPresent() && declaredLength.getAsLong() > maxBodyBytes) {
            return tooLarge(declaredLength.getAsLong());
        }
        String signature = request.headers().firstHeader(SignatureVerifier.HEADER);
        Optional<SignatureCheck> refusedHeader = signatures.rejectHeader(signature);
        if (refusedHeader.isPresent()) {
            return unauthorized(refusedHeader.get());
        }
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), maxBodyBytes)
                .map(WebhookHandler::bytesOf)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> {
                    if (!schemas.done()) {
                        return Mono.just(body)
                                .publishOn(blockingWorker)
                                .flatMap(b -> verifiedAndIngested(signature, b));
                    }
                    if (body.length > inlineBodyLimit) {
                        return Mono.just(body).publishOn(worker).flatMap(b -> verifiedAndIngested(signature, b));
                    }
                    return verifiedAndIngested(signature, body);
                })
                .onErrorResume(DataBufferLimitException.class, e -> tooLarge(-1));
    }

    private Mono<ServerResponse> verifiedAndIngested(String signature, byte[] body) {
        SignatureCheck check = signatures.verify(signature, body);
        if (!check.isValid()) {
            return unauthorized(check);
        }
        metrics.signatureVerified(check.secretIndex());
        return Mono.fromFuture(() -> ingestion.ingest(body))
                .timeout(backstop)
                .onErrorResume(TimeoutException.class, e -> {
                    log.error("The Kafka producer did not report within {}; answering 503", backstop);
                    return Mono.just(IngestionOutcome.unavailable(0));
                })
                .flatMap(this::respond);
    }

    private Mono<ServerResponse> respond(IngestionOutcome outcome) {
        return switch (outcome.status()) {
            case ACCEPTED -> {
                metrics.request(RequestOutcome.ACCEPTED);
                yield ServerResponse.ok().build();
            }
            case DEAD_LETTERED -> {
                metrics.request(RequestOutcome.DEAD_LETTERED);
                yield ServerResponse.ok().build();
            }
            case UNAVAILABLE -> {
                metrics.request(RequestOutcome.UNAVAILABLE);
                yield problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Kafka did not acknowledge the records of this webhook in time; retry later.");
            }
        };
    }

    private Mono<ServerResponse> unauthorized(SignatureCheck check) {
        metrics.signatureRejected(check.outcome());
        metrics.request(RequestOutcome.UNAUTHORIZED);
        log.warn("Refused a webhook: signature {}", check.outcome());
        return problem(HttpStatus.UNAUTHORIZED, "Missing or invalid X-Hub-Signature-256.");
    }

    private Mono<ServerResponse> tooLarge(long declaredLength) {
        metrics.request(RequestOutcome.PAYLOAD_TOO_LARGE);
        log.warn(
                "Refused a webhook body {} bytes: the limit is {} bytes",
                declaredLength >= 0 ? "of " + declaredLength : "over " + maxBodyBytes,
                maxBodyBytes);
        return problem(HttpStatus.CONTENT_TOO_LARGE, "The body is larger than " + maxBodyBytes + " bytes.");
    }

    private static Mono<ServerResponse> problem(HttpStatus status, String detail) {
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(ProblemDetail.forStatusAndDetail(status, detail));
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
