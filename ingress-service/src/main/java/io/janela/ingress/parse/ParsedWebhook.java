package io.janela.ingress.parse;

import java.util.List;
import java.util.Optional;

/**
 * What a webhook body holds: either an {@link EnvelopeFailure} (nothing could be read), or the records to publish
 * together with the items that could not become records.
 */
public record ParsedWebhook(
        Optional<EnvelopeFailure> failure, List<MappedRecord> records, List<ItemProblem> problems, ParseNotes notes) {

    public ParsedWebhook {
        records = List.copyOf(records);
        problems = List.copyOf(problems);
    }

    static ParsedWebhook failed(EnvelopeFailure failure) {
        return new ParsedWebhook(Optional.of(failure), List.of(), List.of(), new ParseNotes());
    }
}
