package org.p2pchat.core.internal.settings;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.p2pchat.core.settings.Settings;

/**
 * The JSON of a settings file: core's {@link Settings} as top-level fields, the plug-ins' sections
 * in {@value #SECTIONS}, and whatever else a newer client or a hand edit put there, which is kept
 * as it is. Reading brings the first format, whose core record held the rendezvous services and
 * the trackers, into the plug-ins' sections.
 */
final class SettingsDocument {

    /** The object holding one member per plug-in's section. */
    static final String SECTIONS = "sections";
    /** A settings file is a few kilobytes; this only bounds what a broken or hostile one costs. */
    static final long MAX_BYTES = 16L << 20;
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * Fields of the first format that are plug-ins' settings now: field, section, field in the
     * section. A section that exists already wins; the old field then stays as an unknown one.
     */
    private static final Map<String, List<String>> MOVED = Map.of(
            "rendezvousServices", List.of("dht", "services"),
            "trackers", List.of("files", "trackers"));
    /** Core's own top-level fields. */
    private static final List<String> CORE_FIELDS = Arrays.stream(Settings.class.getRecordComponents())
            .map(c -> c.getName()).toList();
    /** Problems quote the parser, which may quote a long path; enough of it to find the place. */
    private static final int MAX_PROBLEM_CHARS = 200;

    /** A file that is no settings document at all; its message says why, for the user. */
    static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message) {
            super(message);
        }
    }

    /**
     * A readable settings document.
     *
     * @param json        the document, migrated; without core's fields if they were unreadable
     * @param settings    core's settings in it
     * @param coreProblem why core's fields could not be read, or {@code null}
     */
    record Parsed(JsonObject json, Settings settings, String coreProblem) {
    }

    private SettingsDocument() {
    }

    static Parsed parse(byte[] content) throws UnreadableException {
        if (content.length > MAX_BYTES) {
            throw new UnreadableException("it is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableException("it is not UTF-8 text");
        }
        JsonElement tree;
        try {
            // Gson's reader refuses nesting deeper than 255 levels, so a hostile file cannot exhaust the stack.
            tree = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new UnreadableException(rootMessage(e));
        }
        if (tree.isJsonNull()) {
            throw new UnreadableException("the file is empty");
        }
        if (!tree.isJsonObject()) {
            throw new UnreadableException("it holds no JSON object");
        }
        JsonObject json = tree.getAsJsonObject();
        JsonElement sections = json.get(SECTIONS);
        if (sections != null && !sections.isJsonNull() && !sections.isJsonObject()) {
            throw new UnreadableException("its \"" + SECTIONS + "\" is not a JSON object");
        }
        migrate(json);
        try {
            Settings settings = GSON.fromJson(json, Settings.class);
            return new Parsed(json, settings, null);
        } catch (RuntimeException e) {
            // Gson wraps what the records' constructors throw in plain RuntimeExceptions.
            CORE_FIELDS.forEach(json::remove);
            return new Parsed(json, Settings.defaults(), rootMessage(e));
        }
    }

    /** Moves the first format's plug-in fields into their sections, unless those exist already. */
    private static void migrate(JsonObject json) {
        for (Map.Entry<String, List<String>> moved : MOVED.entrySet()) {
            JsonElement value = json.get(moved.getKey());
            String section = moved.getValue().get(0);
            if (value == null || value.isJsonNull() || section(json, section) != null) {
                continue;
            }
            JsonObject content = new JsonObject();
            content.add(moved.getValue().get(1), value);
            sections(json).add(section, content);
            json.remove(moved.getKey());
        }
    }

    /** The section {@code id}, or {@code null} if the document has none. */
    static JsonElement section(JsonObject json, String id) {
        JsonElement sections = json.get(SECTIONS);
        if (sections == null || !sections.isJsonObject()) {
            return null;
        }
        JsonElement section = sections.getAsJsonObject().get(id);
        return section == null || section.isJsonNull() ? null : section;
    }

    /** The sections object, made if the document has none. */
    static JsonObject sections(JsonObject json) {
        JsonElement sections = json.get(SECTIONS);
        if (sections == null || !sections.isJsonObject()) {
            JsonObject made = new JsonObject();
            json.add(SECTIONS, made);
            return made;
        }
        return sections.getAsJsonObject();
    }

    /** The document with core's fields set to {@code settings}, in place, the rest untouched. */
    static void putCore(JsonObject json, Settings settings) {
        JsonObject core = GSON.toJsonTree(settings).getAsJsonObject();
        CORE_FIELDS.forEach(json::remove);
        JsonObject rest = json.deepCopy();
        rest.keySet().forEach(json::remove);
        // Core's fields first, as the first format had them; then everything else in its order.
        core.entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        rest.entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
    }

    static byte[] bytes(JsonObject json) {
        return (GSON.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() <= MAX_PROBLEM_CHARS ? message : message.substring(0, MAX_PROBLEM_CHARS) + "…";
    }
}
