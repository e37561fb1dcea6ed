package org.p2pchat.core.identity;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The DTLS certificate fingerprints of a session description: what encryption is bound to. */
public final class DtlsFingerprints {

    private static final Pattern FINGERPRINT = Pattern.compile("(?m)^a=fingerprint:(\\S+) ([0-9A-Fa-f:]+)\\s*$");

    private DtlsFingerprints() {
    }

    /** "algorithm HEX:HEX..." per fingerprint line, normalised and sorted. */
    public static List<String> of(String sdp) {
        Matcher m = FINGERPRINT.matcher(sdp);
        java.util.TreeSet<String> found = new java.util.TreeSet<>();
        while (m.find()) {
            found.add(m.group(1).toLowerCase(Locale.ROOT) + " " + m.group(2).toUpperCase(Locale.ROOT));
        }
        return List.copyOf(found);
    }
}
