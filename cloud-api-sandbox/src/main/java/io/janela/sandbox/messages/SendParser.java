package io.janela.sandbox.messages;

import io.janela.sandbox.graph.GraphError;
import io.janela.sandbox.graph.GraphErrorException;
import io.janela.sandbox.window.WindowBook;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@code POST /{phone-number-id}/messages} body (WHATSAPP.md §4.1–§4.3) and refuses what Meta refuses, with
 * the Graph error Meta answers: code 100 for a missing or invalid parameter, 131009 for an invalid value.
 */
@Component
public class SendParser {

    static final int TEXT_LIMIT = 4_096;
    static final int CALLBACK_DATA_LIMIT = 512;
    private static final Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");
    private static final Set<String> OTHER_FREE_FORM = Set.of("location", "contacts", "reaction");

    private final JsonMapper json;

    SendParser(JsonMapper json) {
        this.json = json;
    }

    public ParsedSend parse(String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw invalid("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw invalid("The request body must be a JSON object.");
        }
        if (!"whatsapp".equals(root.path("messaging_product").asString(null))) {
            throw invalid("The parameter messaging_product is required and must be \"whatsapp\".");
        }
        String recipientType = root.path("recipient_type").asString("individual");
        if (!recipientType.equals("individual") && !recipientType.equals("group")) {
            throw invalid("Param recipient_type must be one of {individual, group}.");
        }
        String to = blankToNull(root.path("to").asString(null));
        String recipient = blankToNull(root.path("recipient").asString(null));
        if (to == null && recipient == null) {
            throw invalid("The parameter to is required.");
        }
        String waId = to == null ? null : WindowBook.digits(to);
        if (to != null && waId.isEmpty()) {
            throw new GraphErrorException(GraphError.of(131009, "Param to is not a valid phone number."));
        }
        String type = root.path("type").asString("text");
        String callbackData = blankToNull(root.path("biz_opaque_callback_data").asString(null));
        if (callbackData != null && callbackData.length() > CALLBACK_DATA_LIMIT) {
            throw invalid("Param biz_opaque_callback_data must be at most 512 characters long.");
        }
        ParsedSend.TemplateUse template = null;
        switch (type) {
            case "text" -> text(root.path("text"));
            case "template" -> template = template(root.path("template"));
            case "interactive" -> interactive(root.path("interactive"));
            default -> {
                if (MEDIA.contains(type)) {
                    media(type, root.path(type));
                } else if (!OTHER_FREE_FORM.contains(type)) {
                    throw invalid("Param type must be one of {text, template, interactive, image, video, audio,"
                            + " document, sticker, location, contacts, reaction}.");
                } else if (!root.path(type).isObject() && !root.path(type).isArray()) {
                    throw invalid("The parameter " + type + " is required.");
                }
            }
        }
        return new ParsedSend(to, waId, recipient, type, template, callbackData);
    }

    private static void text(JsonNode text) {
        String body = text.path("body").asString(null);
        if (body == null || body.isEmpty()) {
            throw invalid("The parameter text['body'] is required.");
        }
        if (body.length() > TEXT_LIMIT) {
            throw invalid("Param text['body'] must be at most 4096 characters long.");
        }
    }

    private static void media(String type, JsonNode media) {
        boolean id = !media.path("id").asString("").isBlank();
        boolean link = !media.path("link").asString("").isBlank();
        if (id == link) {
            throw invalid("Param " + type + " must have exactly one of id or link.");
        }
        if (link && !media.path("link").asString("").startsWith("https://")) {
            throw new GraphErrorException(GraphError.of(131009, "Param " + type + "['link'] must be an https URL."));
        }
    }

    private static void interactive(JsonNode interactive) {
        String kind = interactive.path("type").asString("");
        if (interactive.path("body").path("text").asString("").isEmpty()) {
            throw invalid("The parameter interactive['body']['text'] is required.");
        }
        JsonNode action = interactive.path("action");
        switch (kind) {
            case "button" -> {
                int buttons = action.path("buttons").size();
                if (buttons < 1 || buttons > 3) {
                    throw new GraphErrorException(
                            GraphError.of(131009, "Param interactive['action']['buttons'] must have 1 to 3 buttons."));
                }
                for (JsonNode button : action.path("buttons").values()) {
                    if (!"reply".equals(button.path("type").asString(""))
                            || button.path("reply").path("id").asString("").isEmpty()
                            || button.path("reply").path("title").asString("").isEmpty()) {
                        throw invalid("Each button needs type reply, reply.id and reply.title.");
                    }
                }
            }
            case "list" -> {
                if (action.path("button").asString("").isEmpty()
                        || action.path("sections").isEmpty()) {
                    throw invalid("The parameters interactive['action']['button'] and ['sections'] are required.");
                }
            }
            case "cta_url" -> {
                if (!"cta_url".equals(action.path("name").asString(""))
                        || action.path("parameters").path("url").asString("").isEmpty()
                        || action.path("parameters")
                                .path("display_text")
                                .asString("")
                                .isEmpty()) {
                    throw invalid("A cta_url message needs action.name cta_url, parameters.url and display_text.");
                }
            }
            default -> throw invalid("Param interactive['type'] must be one of {button, list, cta_url}.");
        }
    }

    private static ParsedSend.TemplateUse template(JsonNode template) {
        String name = template.path("name").asString("");
        String language = template.path("language").path("code").asString("");
        if (name.isEmpty()) {
            throw invalid("The parameter template['name'] is required.");
        }
        if (language.isEmpty()) {
            throw invalid("The parameter template['language']['code'] is required.");
        }
        List<String> body = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<String> header = new ArrayList<>();
        for (JsonNode component : template.path("components").values()) {
            String type = component.path("type").asString("");
            switch (type) {
                case "body" -> {
                    for (JsonNode parameter : component.path("parameters").values()) {
                        body.add(parameter.path("type").asString(""));
                        String parameterName = parameter.path("parameter_name").asString(null);
                        if (parameterName != null) {
                            names.add(parameterName);
                        }
                    }
                }
                case "header" -> {
                    for (JsonNode parameter : component.path("parameters").values()) {
                        header.add(parameter.path("type").asString(""));
                    }
                }
                case "button" -> {
                    if (component.path("sub_type").asString("").isEmpty()
                            || component.path("index").isMissingNode()) {
                        throw invalid("A button component needs sub_type and index.");
                    }
                }
                default ->
                    throw invalid("Param template['components'][]['type'] must be one of {header, body," + " button}.");
            }
        }
        return new ParsedSend.TemplateUse(name, language, body, names, header);
    }

    private static GraphErrorException invalid(String details) {
        return new GraphErrorException(GraphError.invalidParameter(details));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
