package io.janela.window.rules;

import java.util.List;

/**
 * What one record or one deadline did to a contact.
 *
 * @param before the state before; null for a contact never seen
 * @param after the state after; null when the contact stays unknown
 * @param changes the window events to emit, in order
 * @param ignored why nothing changed in the window, or null
 * @param alias a phone number to publish as this contact's alias, or null
 */
public record Transition(
        ContactState before,
        ContactState after,
        List<WindowChange> changes,
        IgnoreReason ignored,
        AliasPublication alias) {

    public Transition {
        changes = List.copyOf(changes);
    }

    static Transition ignored(ContactState state, IgnoreReason reason) {
        return new Transition(state, state, List.of(), reason, null);
    }

    public boolean changedState() {
        return after != null && !after.equals(before);
    }
}
