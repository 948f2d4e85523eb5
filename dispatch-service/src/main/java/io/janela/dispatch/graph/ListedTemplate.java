package io.janela.dispatch.graph;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/** One template as {@code GET /{waba-id}/message_templates} lists it (WHATSAPP.md §5.7). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListedTemplate(
        String id,
        String name,
        String language,
        String status,
        String category,
        @JsonProperty("parameter_format") String parameterFormat,
        JsonNode components,
        @JsonProperty("quality_score") Quality qualityScore) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Quality(String score) {}
}
