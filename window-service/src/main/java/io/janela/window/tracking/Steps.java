package io.janela.window.tracking;

import io.janela.window.rules.AliasPublication;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.IgnoreReason;
import io.janela.window.rules.Transition;
import io.janela.window.rules.WindowChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Several rules applied to one contact for one record (a sent status is a business message, a sighting of the
 * phone number and perhaps an FEP confirmation), combined into one transition: the first state, the last state,
 * every change in order, the last alias, and an ignore reason only if nothing changed at all.
 */
final class Steps {

    private final ContactState before;
    private ContactState state;
    private final List<WindowChange> changes = new ArrayList<>();
    private AliasPublication alias;
    private IgnoreReason firstIgnored;

    Steps(ContactState before) {
        this.before = before;
        this.state = before;
    }

    ContactState state() {
        return state;
    }

    void then(Transition transition) {
        state = transition.after();
        changes.addAll(transition.changes());
        if (transition.alias() != null) {
            alias = transition.alias();
        }
        if (firstIgnored == null) {
            firstIgnored = transition.ignored();
        }
    }

    Transition result() {
        boolean changed = state != null && !state.equals(before);
        return new Transition(before, state, changes, changed || firstIgnored == null ? null : firstIgnored, alias);
    }
}
