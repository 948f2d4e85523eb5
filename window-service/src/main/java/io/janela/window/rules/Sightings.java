package io.janela.window.rules;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The messages of one kind (customer or business) a contact exchanged recently: a 64-bit hash of each message id
 * with its Meta time, oldest first, bounded in age and in number. This is how a duplicate webhook is recognised
 * without keeping every id forever: a message older than the window length can only come back as late, and is not
 * kept; past the bound the oldest entries go first (a duplicate of one of those would be counted twice, but the
 * window times, which are maxima and minima, would not change).
 */
public record Sightings(List<Sighting> items) {

    public static final Sightings EMPTY = new Sightings(List.of());

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    public Sightings {
        items = List.copyOf(items);
    }

    /** A message: its id's hash and its Meta time. */
    public record Sighting(long idHash, Instant at) {}

    /**
     * The 64-bit FNV-1a hash of a message id. Meta's ids are not chosen by an adversary, and a contact has a few dozen
     * recent messages at most, so a collision (about n²/2⁶⁵) does not happen in practice.
     */
    public static long hash(String messageId) {
        long hash = FNV_OFFSET;
        for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    public boolean contains(long idHash) {
        return timeOf(idHash) != null;
    }

    /** When the message with this id hash was seen, or null. */
    Instant timeOf(long idHash) {
        for (Sighting item : items) {
            if (item.idHash() == idHash) {
                return item.at();
            }
        }
        return null;
    }

    /**
     * This message added (or, if its id is already here, kept at the earlier of the two times), entries at or before
     * {@code horizon} dropped, and at most {@code limit} of the newest kept.
     */
    Sightings with(long idHash, Instant at, Instant horizon, int limit) {
        List<Sighting> next = new ArrayList<>(items.size() + 1);
        boolean merged = false;
        for (Sighting item : items) {
            if (item.idHash() == idHash) {
                next.add(new Sighting(idHash, Times.min(item.at(), at)));
                merged = true;
            } else {
                next.add(item);
            }
        }
        if (!merged) {
            next.add(new Sighting(idHash, at));
        }
        next.removeIf(item -> !item.at().isAfter(horizon));
        next.sort(Comparator.comparing(Sighting::at));
        return new Sightings(next.size() <= limit ? next : next.subList(next.size() - limit, next.size()));
    }

    /** The earliest time in [from, to], or null. */
    Instant earliestIn(Instant from, Instant to) {
        for (Sighting item : items) {
            if (!item.at().isBefore(from) && !item.at().isAfter(to)) {
                return item.at();
            }
        }
        return null;
    }

    /** The latest time in [from, to], or null. */
    Instant latestIn(Instant from, Instant to) {
        for (int i = items.size() - 1; i >= 0; i--) {
            Instant at = items.get(i).at();
            if (!at.isBefore(from) && !at.isAfter(to)) {
                return at;
            }
        }
        return null;
    }

    /** Both sets of messages as one (a contact whose user id changed meets its new self), bounded like {@link #with}. */
    Sightings merged(Sightings other, Instant horizon, int limit) {
        Sightings all = this;
        for (Sighting item : other.items) {
            all = all.with(item.idHash(), item.at(), horizon, limit);
        }
        return all;
    }
}
