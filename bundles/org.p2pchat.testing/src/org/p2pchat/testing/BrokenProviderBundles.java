package org.p2pchat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.p2pchat.testing.brokenprovider.FailingProvider;

/**
 * Deliberately broken connection provider plug-ins, written as bundle jars at run time, to be
 * installed next to the others (into a test framework, or into a copy of the product): one that
 * does not resolve (it imports a package nobody exports), one whose provider component throws in
 * its activation, one whose component needs a service nobody registers. Each declares the
 * provider capability, as every provider plug-in does.
 */
public final class BrokenProviderBundles {

    /** The unresolvable fixture's symbolic name. */
    public static final String UNRESOLVED = "org.p2pchat.testing.broken.unresolved";
    /** The package it imports, which no bundle exports. */
    public static final String MISSING_PACKAGE = "org.p2pchat.testing.nowhere";
    /** The fixture whose component fails. */
    public static final String FAILING = "org.p2pchat.testing.broken.activation";
    /** What the failing fixture's activation says. */
    public static final String FAILURE = FailingProvider.FAILURE;
    /** The fixture whose component needs a service nobody registers. */
    public static final String UNSATISFIED = "org.p2pchat.testing.broken.reference";
    /** The service it needs. */
    public static final String MISSING_SERVICE = "org.p2pchat.testing.nowhere.NeededService";
    public static final String VERSION = "1.0.0";

    private BrokenProviderBundles() {
    }

    /** The bundle that does not resolve, as {@code dir/UNRESOLVED_1.0.0.jar}. */
    public static Path unresolved(Path dir) throws IOException {
        Manifest m = manifest(UNRESOLVED, "Broken test provider (does not resolve)", "test-unresolved");
        m.getMainAttributes().putValue("Import-Package", MISSING_PACKAGE + ";version=\"[1.0.0,2.0.0)\","
                + "org.p2pchat.core.signaling;version=\"[1.0.0,2.0.0)\"");
        Path jar = Files.createDirectories(dir).resolve(UNRESOLVED + "_" + VERSION + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            // a manifest is all it takes
        }
        return jar;
    }

    /** The bundle whose provider component throws in its activation, as {@code dir/FAILING_1.0.0.jar}. */
    public static Path failingActivation(Path dir) throws IOException {
        return withComponent(dir, FAILING, "Broken test provider (fails to start)", "test-failing", "");
    }

    /**
     * The bundle whose provider component needs a service no bundle registers
     * ({@link #MISSING_SERVICE}), as {@code dir/UNSATISFIED_1.0.0.jar}.
     */
    public static Path missingReference(Path dir) throws IOException {
        return withComponent(dir, UNSATISFIED, "Broken test provider (needs a service)", "test-unsatisfied",
                "  <reference name=\"needed\" interface=\"" + MISSING_SERVICE + "\" cardinality=\"1..1\"/>\n");
    }

    private static Path withComponent(Path dir, String name, String title, String methodId, String references)
            throws IOException {
        Manifest m = manifest(name, title, methodId);
        m.getMainAttributes().putValue("Import-Package", "org.p2pchat.core.signaling;version=\"[1.0.0,2.0.0)\"");
        m.getMainAttributes().putValue("Service-Component", "OSGI-INF/failing.xml");
        String type = FailingProvider.class.getName().replace('.', '/') + ".class";
        String component = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s" activate="activate">
                  <implementation class="%s"/>
                  <service>
                    <provide interface="org.p2pchat.core.signaling.ConnectionProvider"/>
                  </service>
                %s</scr:component>
                """.formatted(name, FailingProvider.class.getName(), references);
        Path jar = Files.createDirectories(dir).resolve(name + "_" + VERSION + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
                InputStream code = FailingProvider.class.getClassLoader().getResourceAsStream(type)) {
            if (code == null) {
                throw new IOException("no class file " + type);
            }
            entry(out, "OSGI-INF/failing.xml", component.getBytes(StandardCharsets.UTF_8));
            entry(out, type, code.readAllBytes());
        }
        return jar;
    }

    private static Manifest manifest(String name, String title, String methodId) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", name);
        a.putValue("Bundle-Version", VERSION);
        a.putValue("Bundle-Name", title);
        a.putValue("Bundle-ActivationPolicy", "lazy");
        a.putValue("Provide-Capability", "org.p2pchat.provider;org.p2pchat.provider=\"" + methodId + "\";name=\""
                + title + "\"");
        return m;
    }

    private static void entry(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(content);
        out.closeEntry();
    }
}
