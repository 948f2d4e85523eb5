package io.janela.sandbox.window;

import io.janela.sandbox.config.SandboxProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The customer service windows the sandbox knows of: a window opens (or refreshes) at each inbound message it is told
 * about, and lasts {@code janela.sandbox.window-length} from that message. A contact is found by phone number (digits,
 * as {@code wa_id}) or by business-scoped user id, whichever the inbound message named.
 */
@Component
public class WindowBook {

    private final Map<String, Contact> contacts = new ConcurrentHashMap<>();
    private final SandboxProperties properties;

    WindowBook(SandboxProperties properties) {
        this.properties = properties;
    }

    /** A contact of one business number: its phone number and user id, if known, and its latest inbound message. */
    public record Contact(String waId, String userId, Instant lastInboundAt) {}

    /** Records an inbound message from a user, known by phone number, user id or both. */
    public void inbound(String phoneNumberId, String waId, String userId, Instant at) {
        String phone = waId == null ? null : digits(waId);
        Contact known =
                find(phoneNumberId, phone).or(() -> find(phoneNumberId, userId)).orElse(null);
        Contact updated = new Contact(
                phone != null ? phone : known == null ? null : known.waId(),
                userId != null ? userId : known == null ? null : known.userId(),
                known == null || at.isAfter(known.lastInboundAt()) ? at : known.lastInboundAt());
        if (updated.waId() != null) {
            contacts.put(key(phoneNumberId, updated.waId()), updated);
        }
        if (updated.userId() != null) {
            contacts.put(key(phoneNumberId, updated.userId()), updated);
        }
    }

    /** The contact a recipient (a phone number in any format, or a user id) names. */
    public Optional<Contact> find(String phoneNumberId, String recipient) {
        if (recipient == null) {
            return Optional.empty();
        }
        Contact byId = contacts.get(key(phoneNumberId, recipient));
        return byId != null
                ? Optional.of(byId)
                : Optional.ofNullable(contacts.get(key(phoneNumberId, digits(recipient))));
    }

    /** Whether the recipient wrote within the window before {@code now}. */
    public boolean isOpen(String phoneNumberId, String recipient, Instant now) {
        return find(phoneNumberId, recipient)
                .map(contact ->
                        contact.lastInboundAt().plus(properties.windowLength()).isAfter(now))
                .orElse(false);
    }

    public void clear() {
        contacts.clear();
    }

    /** A phone number reduced to its digits, as Meta's {@code wa_id}. */
    public static String digits(String phoneNumber) {
        return phoneNumber.replaceAll("[^0-9]", "");
    }

    private static String key(String phoneNumberId, String identity) {
        return phoneNumberId + '|' + identity;
    }
}
