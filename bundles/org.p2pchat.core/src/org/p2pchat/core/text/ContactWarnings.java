package org.p2pchat.core.text;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;

/**
 * What a client says about a request that uses the name of someone it knows: names are not
 * unique and anyone can pick one, so a request under a contact's name that does not prove that
 * contact's key is said to be what it is. One wording for every client.
 */
public final class ContactWarnings {

    private ContactWarnings() {
    }

    /**
     * The warning for a request from {@code name}, or empty when there is nothing to warn about
     * (no contact of that name, or the request proves the key remembered for it).
     *
     * @param name     the name the request comes under, as the service or peer gave it
     * @param identity the identity the request proves; empty if it carries no proof
     * @param contacts the contacts remembered so far
     */
    public static Optional<String> forRequest(String name, Optional<PublicIdentity> identity, List<Contact> contacts) {
        Optional<Contact> known = contactNamed(name, contacts);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        String who = known.get().name();
        if (identity.isEmpty()) {
            return Optional.of("Unverified: " + who + " is a contact who proved their identity before; this request "
                    + "proves none, so it may come from someone else using that name.");
        }
        if (!identity.get().equals(known.get().identity())) {
            return Optional.of("This request's key " + identity.get().fingerprint() + " is NOT the one you know for "
                    + who + ": it may come from someone else using that name.");
        }
        return Optional.empty();
    }

    /** The contact remembered under {@code name}, compared as shown (cleaned, ignoring case). */
    static Optional<Contact> contactNamed(String name, List<Contact> contacts) {
        String wanted = DisplayNames.clean(name).toLowerCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        return contacts.stream().filter(c -> DisplayNames.clean(c.name()).toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }
}
