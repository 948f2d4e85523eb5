package io.janela.ingress.parse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code rawJson} of a record: the item re-serialised compactly from the parsed tree, its fields in Meta's order
 * and its values as Meta sent them (escapes decoded, whitespace dropped). A pure function of the item: the same item
 * in a retried or re-batched delivery gives the same string, so the record value does not change.
 */
final class RawJson {

    private final JsonMapper mapper;

    RawJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    String of(JsonNode item) {
        return mapper.writeValueAsString(item);
    }
}
