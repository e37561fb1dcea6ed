package org.p2pchat.rendezvous.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.p2pchat.core.identity.IdentityException;

/**
 * The fields of our two {@code Authorization} schemes ({@code SCHEME name=value, name=value...}):
 * one parser, so both refuse the same malformed headers in the same words. A header must carry
 * exactly the scheme's fields, each once and non-empty (a trailing comma is an empty field).
 */
final class AuthorizationFields {

    static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int MAX_NONCE_CHARS = 64;

    private final Map<String, String> fields;

    private AuthorizationFields(Map<String, String> fields) {
        this.fields = fields;
    }

    /**
     * @param names the scheme's fields, in the order a header is written
     * @throws IdentityException saying what is wrong with the header
     */
    static AuthorizationFields parse(String header, String scheme, int maxChars, List<String> names)
            throws IdentityException {
        String usage = scheme + " " + String.join(", ", names.stream().map(n -> n + "=...").toList());
        if (header == null || header.isBlank()) {
            throw new IdentityException("missing Authorization header (" + usage + ")");
        }
        if (header.length() > maxChars) {
            throw new IdentityException("Authorization header is longer than " + maxChars + " characters");
        }
        String h = header.strip();
        if (!h.startsWith(scheme + " ")) {
            throw new IdentityException("Authorization scheme must be " + scheme);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : h.substring(scheme.length() + 1).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IdentityException("Authorization field without '=': " + shortened(part.strip()));
            }
            String name = part.substring(0, eq).strip();
            if (fields.put(name, part.substring(eq + 1).strip()) != null) {
                throw new IdentityException("Authorization field " + shortened(name) + "= given twice");
            }
        }
        for (String name : names) {
            if (!fields.containsKey(name) || fields.get(name).isEmpty()) {
                throw new IdentityException("Authorization header has no " + name + "=");
            }
        }
        if (fields.size() != names.size()) {
            String last = names.get(names.size() - 1) + "=";
            throw new IdentityException("Authorization " + scheme + " takes exactly "
                    + String.join("=, ", names.subList(0, names.size() - 1)) + "= and " + last);
        }
        return new AuthorizationFields(fields);
    }

    String get(String name) {
        return fields.get(name);
    }

    /** {@code ts=}: milliseconds since the epoch. */
    long timestamp() throws IdentityException {
        try {
            return Long.parseLong(fields.get("ts"));
        } catch (NumberFormatException e) {
            throw new IdentityException("Authorization ts= is not a number of milliseconds");
        }
    }

    /** {@code nonce=}: base64url, at most 64 characters. */
    String nonce() throws IdentityException {
        String nonce = fields.get("nonce");
        if (nonce.length() > MAX_NONCE_CHARS || !BASE64URL.matcher(nonce).matches()) {
            throw new IdentityException("Authorization nonce= must be base64url, at most " + MAX_NONCE_CHARS
                    + " characters");
        }
        return nonce;
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
