package io.janela.ingress.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * What parsing noticed besides records and problems, for metrics and logs: values the contract does not know, change
 * fields this service does not publish, and platform errors Meta reported in {@code value.errors}. Not thread-safe;
 * one per parse.
 */
public final class ParseNotes {

    private final List<String> unrecognisedValues = new ArrayList<>();
    private final List<String> ignoredFields = new ArrayList<>();
    private final List<Integer> platformErrorCodes = new ArrayList<>();

    void unrecognised(String field) {
        unrecognisedValues.add(field);
    }

    void ignored(String field) {
        ignoredFields.add(field);
    }

    void platformError(int code) {
        platformErrorCodes.add(code);
    }

    /** The contract fields (e.g. {@code message_type}) that received a value mapped to UNKNOWN, once per value. */
    public List<String> unrecognisedValues() {
        return List.copyOf(unrecognisedValues);
    }

    /** The {@code changes[].field} values that were not published (fields this service has no topic for). */
    public List<String> ignoredFields() {
        return List.copyOf(ignoredFields);
    }

    /** Codes of {@code value.errors[]}: errors about the business account, not about one message. */
    public List<Integer> platformErrorCodes() {
        return List.copyOf(platformErrorCodes);
    }
}
