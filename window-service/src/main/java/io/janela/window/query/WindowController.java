package io.janela.window.query;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /windows/{phoneNumberId}/{contactId}}: 200 with a {@link WindowView}; 404 for a contact never seen;
 * 400 for a path that names no contact; 503 with {@code Retry-After} while nobody can answer. Errors are RFC 9457
 * problem details. {@code X-Janela-Served-By} names the instance that read the store.
 */
@RestController
class WindowController {

    static final String PATH = "/windows/{phoneNumberId}/{contactId}";
    static final String SERVED_BY = "X-Janela-Served-By";
    private static final String RETRY_AFTER_SECONDS = "1";

    private final WindowQueryService queries;

    WindowController(WindowQueryService queries) {
        this.queries = queries;
    }

    @GetMapping(PATH)
    Mono<ResponseEntity<Object>> window(
            @PathVariable String phoneNumberId,
            @PathVariable String contactId,
            @RequestHeader(name = OwnerClient.FORWARDED_BY, required = false) String forwardedBy) {
        return queries.find(phoneNumberId, contactId, forwardedBy).map(WindowController::response);
    }

    private static ResponseEntity<Object> response(WindowLookup lookup) {
        return switch (lookup) {
            case WindowLookup.Found found ->
                ResponseEntity.ok().header(SERVED_BY, found.servedBy()).body(found.view());
            case WindowLookup.Relayed relayed ->
                ResponseEntity.status(relayed.status())
                        .contentType(relayed.contentType())
                        .header(SERVED_BY, relayed.servedBy())
                        .body(relayed.body());
            case WindowLookup.NotFound notFound ->
                problem(HttpStatus.NOT_FOUND)
                        .header(SERVED_BY, notFound.servedBy())
                        .body(ProblemDetail.forStatusAndDetail(
                                HttpStatus.NOT_FOUND, "No window is known for this contact"));
            case WindowLookup.Unavailable unavailable ->
                problem(HttpStatus.SERVICE_UNAVAILABLE)
                        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                        .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, unavailable.reason()));
            case WindowLookup.Invalid invalid ->
                problem(HttpStatus.BAD_REQUEST)
                        .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, invalid.reason()));
        };
    }

    private static ResponseEntity.BodyBuilder problem(HttpStatus status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
