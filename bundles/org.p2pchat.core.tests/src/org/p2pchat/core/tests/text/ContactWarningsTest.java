package org.p2pchat.core.tests.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.identity.Contact;
import org.p2pchat.core.identity.PublicIdentity;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.text.ContactWarnings;

/** A request under a contact's name says whether it proves that contact's key. */
class ContactWarningsTest {

    @TempDir
    Path temp;

    @Test
    void anUnprovenRequestUnderAContactsNameSaysTheContactProvedItselfBeforeAndThisDoesNot() throws Exception {
        PublicIdentity bob = new Ed25519IdentityService(temp.resolve("bob")).self();
        List<Contact> contacts = List.of(new Contact("bob", bob, 1));

        String warning = ContactWarnings.forRequest("bob", Optional.empty(), contacts).orElseThrow();
        assertTrue(warning.startsWith("Unverified: bob is a contact who proved their identity before; this request "
                + "proves none"), warning);
        // The same name in another case, or with invisible characters, is the same contact.
        assertTrue(ContactWarnings.forRequest("Bob", Optional.empty(), contacts).isPresent());
        assertTrue(ContactWarnings.forRequest("b\u200Bob\u202E", Optional.empty(), contacts).isPresent());
    }

    @Test
    void aRequestProvingAnotherKeyUnderAContactsNameIsFlaggedAndTheRightKeyIsNot() throws Exception {
        PublicIdentity bob = new Ed25519IdentityService(temp.resolve("bob")).self();
        PublicIdentity mallory = new Ed25519IdentityService(temp.resolve("mallory")).self();
        List<Contact> contacts = List.of(new Contact("bob", bob, 1));

        String warning = ContactWarnings.forRequest("bob", Optional.of(mallory), contacts).orElseThrow();
        assertTrue(warning.contains("is NOT the one you know for bob"), warning);
        assertEquals(Optional.empty(), ContactWarnings.forRequest("bob", Optional.of(bob), contacts));
        assertEquals(Optional.empty(), ContactWarnings.forRequest("carol", Optional.empty(), contacts));
        assertEquals(Optional.empty(), ContactWarnings.forRequest("", Optional.empty(), contacts));
    }

    @Test
    void aContactsNameWithInvisibleCharactersIsThatContactWhenMet() throws Exception {
        Ed25519IdentityService me = new Ed25519IdentityService(temp.resolve("me"));
        PublicIdentity bob = new Ed25519IdentityService(temp.resolve("bob")).self();
        PublicIdentity mallory = new Ed25519IdentityService(temp.resolve("mallory")).self();
        assertEquals(Contact.Status.NEW, me.meet("bob", bob));
        assertEquals(Contact.Status.CHANGED, me.meet("b\u200Bob\u202E", mallory));
        assertEquals(Contact.Status.NEW, me.meet("car\u200Dol", mallory));
        assertEquals("carol", me.contacts().get(1).name(), "remembered as shown");
    }
}
