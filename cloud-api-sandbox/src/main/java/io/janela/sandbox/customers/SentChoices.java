package io.janela.sandbox.customers;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.templates.SandboxTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a customer could tap in the messages the sandbox accepted: the rows of an interactive list, the reply buttons
 * of an interactive button message, the quick-reply buttons of a template. {@code POST /sandbox/customer-replies}
 * picks one of them and posts the reply Meta would post, with {@code context.id} = the message's wamid. Only the
 * latest {@code request-log-size} such messages are kept.
 */
@Component
public class SentChoices {

    /** How a choice comes back: {@code interactive.list_reply}, {@code interactive.button_reply}, {@code button}. */
    public enum Kind {
        LIST_REPLY,
        BUTTON_REPLY,
        QUICK_REPLY
    }

    /**
     * One choice: a row or reply button ({@code id}, {@code title}, {@code description}), or a template quick-reply
     * button ({@code id} = its payload, {@code title} = its text in the template, else the payload).
     */
    public record Option(String id, String title, String description) {}

    /** A message with choices, to whom it went (the recipient as sent: digits or a user id) and its options. */
    public record Sent(String wamid, String phoneNumberId, String recipient, Kind kind, List<Option> options) {

        /**
         * The option {@code choice} names: its id (or payload), its title (any case), or a title that starts with it
         * followed by something other than a letter or digit ({@code "5"} for {@code "5 - Excellent"}).
         */
        Optional<Option> option(String choice) {
            String wanted = choice.strip();
            for (Option option : options) {
                if (option.id().equals(wanted) || option.title().equalsIgnoreCase(wanted)) {
                    return Optional.of(option);
                }
            }
            String lower = wanted.toLowerCase(Locale.ROOT);
            for (Option option : options) {
                String title = option.title().toLowerCase(Locale.ROOT);
                if (!lower.isEmpty()
                        && title.startsWith(lower)
                        && title.length() > lower.length()
                        && !Character.isLetterOrDigit(title.charAt(lower.length()))) {
                    return Optional.of(option);
                }
            }
            return Optional.empty();
        }
    }

    private final LinkedHashMap<String, Sent> byWamid = new LinkedHashMap<>();
    private final int capacity;
    private final JsonMapper json;

    SentChoices(SandboxProperties properties, JsonMapper json) {
        this.capacity = properties.requestLogSize();
        this.json = json;
    }

    /**
     * Keeps the choices of an accepted send, if it has any.
     *
     * @param recipient the identity the message went to (phone number digits, or a user id)
     * @param template the template a template send named, else null
     */
    public void remember(String wamid, String phoneNumberId, String recipient, String body, SandboxTemplate template) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            return; // the parser accepted it; nothing to remember otherwise
        }
        Optional<Sent> sent = choices(root, template)
                .map(found -> new Sent(wamid, phoneNumberId, recipient, found.kind(), List.copyOf(found.options())));
        sent.ifPresent(this::add);
    }

    /** The message with choices of that wamid. */
    public synchronized Optional<Sent> find(String wamid) {
        return Optional.ofNullable(byWamid.get(wamid));
    }

    /** The latest message with choices sent to any of these identities (phone number digits, user id) of a number. */
    public synchronized Optional<Sent> latest(String phoneNumberId, List<String> identities) {
        Sent latest = null;
        for (Sent sent : byWamid.values()) {
            if (sent.phoneNumberId().equals(phoneNumberId) && identities.contains(sent.recipient())) {
                latest = sent;
            }
        }
        return Optional.ofNullable(latest);
    }

    public synchronized void clear() {
        byWamid.clear();
    }

    private synchronized void add(Sent sent) {
        byWamid.put(sent.wamid(), sent);
        Iterator<String> oldest = byWamid.keySet().iterator();
        while (byWamid.size() > capacity && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private record Found(Kind kind, List<Option> options) {}

    private static Optional<Found> choices(JsonNode root, SandboxTemplate template) {
        String type = root.path("type").asString("text");
        List<Option> options = new ArrayList<>();
        if (type.equals("interactive")) {
            JsonNode interactive = root.path("interactive");
            String kind = interactive.path("type").asString("");
            if (kind.equals("list")) {
                for (JsonNode section :
                        interactive.path("action").path("sections").values()) {
                    for (JsonNode row : section.path("rows").values()) {
                        options.add(new Option(
                                row.path("id").asString(""),
                                row.path("title").asString(""),
                                row.path("description").asString(null)));
                    }
                }
                return found(Kind.LIST_REPLY, options);
            }
            if (kind.equals("button")) {
                for (JsonNode button :
                        interactive.path("action").path("buttons").values()) {
                    JsonNode reply = button.path("reply");
                    options.add(new Option(
                            reply.path("id").asString(""), reply.path("title").asString(""), null));
                }
                return found(Kind.BUTTON_REPLY, options);
            }
            return Optional.empty();
        }
        if (type.equals("template")) {
            List<String> texts = template == null ? List.of() : quickReplyTexts(template);
            for (JsonNode component : root.path("template").path("components").values()) {
                if (!"button".equals(component.path("type").asString(""))
                        || !"quick_reply"
                                .equalsIgnoreCase(component.path("sub_type").asString(""))) {
                    continue;
                }
                int index = component.path("index").asInt(-1);
                for (JsonNode parameter : component.path("parameters").values()) {
                    String payload = parameter.path("payload").asString(null);
                    if (payload != null) {
                        String text = index >= 0
                                        && index < texts.size()
                                        && !texts.get(index).isEmpty()
                                ? texts.get(index)
                                : payload;
                        options.add(new Option(payload, text, null));
                    }
                }
            }
            return found(Kind.QUICK_REPLY, options);
        }
        return Optional.empty();
    }

    private static Optional<Found> found(Kind kind, List<Option> options) {
        options.removeIf(option -> option.id().isEmpty());
        return options.isEmpty() ? Optional.empty() : Optional.of(new Found(kind, options));
    }

    /** The texts of a template's buttons, by index (a quick reply's text is the template's, not the send's). */
    private static List<String> quickReplyTexts(SandboxTemplate template) {
        List<String> texts = new ArrayList<>();
        for (JsonNode component : template.json().path("components").values()) {
            if ("BUTTONS".equalsIgnoreCase(component.path("type").asString(""))) {
                for (JsonNode button : component.path("buttons").values()) {
                    texts.add(Objects.requireNonNullElse(button.path("text").asString(null), ""));
                }
            }
        }
        return texts;
    }
}
