package io.janela.window.rules;

/** Why a record left a contact's window as it was. */
public enum IgnoreReason {
    /** Written in a group chat: the window is the group's. */
    GROUP,
    /** A message type that does not open or refresh the window (reaction, system, unsupported...). */
    NOT_QUALIFYING,
    /** Its window would already have been over when it arrived (a retried webhook, or Meta closed the window since). */
    LATE,
    /** The same message id was already applied. */
    DUPLICATE,
    /** About a contact the service knows nothing of (business activity before any customer message). */
    UNKNOWN_CONTACT,
    /** A record without a value (a tombstone): there is nothing to apply. */
    EMPTY,
    /** About a business-scoped user id that has changed: the contact's state moved to the new id. */
    MOVED,
    /** Superseded: about an earlier window, an expiry that has moved, or Meta's view before a later message. */
    STALE
}
