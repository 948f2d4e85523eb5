package io.janela.dispatch.send;

import io.janela.dispatch.graph.SendResponse;
import io.janela.dispatch.outcome.MetaErrorPolicy;
import java.util.Set;

/**
 * Classifies a refused or unanswered send by Meta's {@code error.code}, never by HTTP status or message text (Meta:
 * build error handling on the code and {@code error_data.details}). Codes from WHATSAPP.md §4.6; an answer without a
 * Graph error body falls back to its HTTP status (5xx: retry).
 */
final class ErrorClassifier {

    static final int DOWNTIME_CODE = 2;
    static final int PAIR_LIMIT_CODE = 131056;
    static final int REENGAGEMENT_CODE = 131047;
    /** The On-Premises API's and some providers' code for the same. */
    static final int LEGACY_REENGAGEMENT_CODE = 470;

    private static final Set<Integer> THROTTLING = Set.of(4, 80007, 130429);
    private static final Set<Integer> RETRYABLE = Set.of(1, 131000, 131016, 131057);

    private ErrorClassifier() {}

    static ErrorClass classify(SendResponse response) {
        return switch (response) {
            case SendResponse.Accepted ignored -> throw new IllegalArgumentException("an accepted send is no error");
            case SendResponse.Unanswered unanswered ->
                unanswered.possiblySent() ? ErrorClass.IN_DOUBT : ErrorClass.RETRY;
            case SendResponse.Refused refused -> {
                if (refused.error() == null) {
                    yield refused.httpStatus() >= 500 ? ErrorClass.RETRY : ErrorClass.TERMINAL;
                }
                yield classify(refused.error().code(), refused.httpStatus());
            }
        };
    }

    static ErrorClass classify(int code, int httpStatus) {
        if (code == PAIR_LIMIT_CODE) {
            return ErrorClass.PAIR_LIMIT;
        }
        if (code == REENGAGEMENT_CODE || code == LEGACY_REENGAGEMENT_CODE) {
            return ErrorClass.REENGAGEMENT;
        }
        if (code == DOWNTIME_CODE) {
            return ErrorClass.DOWNTIME;
        }
        if (THROTTLING.contains(code)) {
            return ErrorClass.THROTTLED;
        }
        if (RETRYABLE.contains(code)) {
            return ErrorClass.RETRY;
        }
        if (MetaErrorPolicy.NEVER_RETRIED.contains(code)) {
            return ErrorClass.TERMINAL; // the 2026 codes: never retried, whatever the HTTP status (MetaErrorPolicy)
        }
        return httpStatus >= 500 ? ErrorClass.RETRY : ErrorClass.TERMINAL;
    }
}
