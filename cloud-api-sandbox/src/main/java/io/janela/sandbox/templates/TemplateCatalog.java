package io.janela.sandbox.templates;

import io.janela.sandbox.config.SandboxProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The message templates of each business account, loaded from {@code janela.sandbox.templates} and replaceable. */
@Component
public class TemplateCatalog {

    private final Map<String, List<SandboxTemplate>> byWaba = new ConcurrentHashMap<>();
    private final SandboxProperties properties;
    private final JsonMapper json;

    TemplateCatalog(SandboxProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        loadConfigured();
    }

    public List<SandboxTemplate> list(String wabaId) {
        return byWaba.getOrDefault(wabaId, List.of());
    }

    public void replace(String wabaId, List<JsonNode> templates) {
        byWaba.put(wabaId, templates.stream().map(SandboxTemplate::new).toList());
    }

    public Optional<SandboxTemplate> find(String wabaId, String name, String language) {
        String normalised = language == null ? "" : language.replace('-', '_');
        return list(wabaId).stream()
                .filter(template ->
                        template.name().equals(name) && template.language().equals(normalised))
                .findFirst();
    }

    /** Back to the configured templates. */
    public void reset() {
        byWaba.clear();
        loadConfigured();
    }

    private void loadConfigured() {
        if (properties.templates() == null) {
            return;
        }
        try (InputStream in = properties.templates().getInputStream()) {
            JsonNode root = json.readTree(in);
            for (Map.Entry<String, JsonNode> waba : root.properties()) {
                replace(waba.getKey(), List.copyOf(waba.getValue().values()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + properties.templates(), e);
        }
    }
}
