package io.janela.sandbox.messages;

import io.janela.sandbox.graph.GraphError;
import io.janela.sandbox.graph.GraphErrorException;
import io.janela.sandbox.templates.SandboxTemplate;
import io.janela.sandbox.templates.TemplateCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * What Meta checks of a template send (WHATSAPP.md §4.6, §5): the template exists in that language and is APPROVED
 * (132001; paused 132015, disabled 132016), the parameters match its placeholders (132000), and an authentication
 * template does not go to a business-scoped user id (131062).
 */
@Component
class TemplateRules {

    private final TemplateCatalog catalog;

    TemplateRules(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    /** The template a valid send uses; a {@link GraphErrorException} otherwise. */
    SandboxTemplate check(String wabaId, ParsedSend send) {
        ParsedSend.TemplateUse use = send.template();
        SandboxTemplate template = catalog.find(wabaId, use.name(), use.language())
                .orElseThrow(() -> new GraphErrorException(GraphError.of(
                        132001,
                        "template name (" + use.name() + ") does not exist in "
                                + use.language().replace('-', '_'))));
        switch (template.status()) {
            case "APPROVED" -> {}
            case "PAUSED" ->
                throw new GraphErrorException(
                        GraphError.of(132015, "Template " + use.name() + " is paused due to low quality."));
            case "DISABLED" ->
                throw new GraphErrorException(GraphError.of(132016, "Template " + use.name() + " has been disabled."));
            default ->
                throw new GraphErrorException(GraphError.of(
                        132001,
                        "template " + use.name() + " is " + template.status().toLowerCase(Locale.ROOT)));
        }
        if (template.category().equals("AUTHENTICATION") && send.waId() == null) {
            throw new GraphErrorException(
                    GraphError.of(131062, "Authentication templates cannot be sent to a business-scoped user ID."));
        }
        checkBody(template, use);
        checkHeader(template, use);
        return template;
    }

    private static void checkBody(SandboxTemplate template, ParsedSend.TemplateUse use) {
        List<String> placeholders = template.bodyPlaceholders();
        if (use.bodyParameters().size() != placeholders.size()) {
            throw mismatch("body", use.bodyParameters().size(), placeholders.size());
        }
        if (template.named() && !use.bodyParameterNames().equals(new HashSet<>(placeholders))) {
            throw new GraphErrorException(GraphError.of(
                    132000, "body: parameter names " + use.bodyParameterNames() + " do not match " + placeholders));
        }
        if (!template.named() && !use.bodyParameterNames().isEmpty()) {
            throw new GraphErrorException(
                    GraphError.of(132012, "body: a positional template takes no parameter_name."));
        }
    }

    private static void checkHeader(SandboxTemplate template, ParsedSend.TemplateUse use) {
        String format = template.headerFormat();
        int expected = format == null
                ? 0
                : format.equals("TEXT") ? template.headerPlaceholders().size() : 1;
        if (use.headerParameterTypes().size() != expected) {
            throw mismatch("header", use.headerParameterTypes().size(), expected);
        }
        if (expected == 1
                && format != null
                && !format.equals("TEXT")
                && !use.headerParameterTypes().getFirst().equalsIgnoreCase(format)) {
            throw new GraphErrorException(
                    GraphError.of(132012, "header: expected a " + format.toLowerCase(Locale.ROOT) + " parameter."));
        }
    }

    private static GraphErrorException mismatch(String component, int given, int expected) {
        return new GraphErrorException(GraphError.of(
                132000,
                component + ": number of localizable_params (" + given + ") does not match the expected number of"
                        + " params (" + expected + ")"));
    }
}
