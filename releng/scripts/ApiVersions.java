/*
 * The versions of the packages our bundles export, read from their sources (no build needed).
 * Run by the root pom.xml at the start of every build; a single-file Java program, so it needs no
 * compilation step:
 *
 *   java releng/scripts/ApiVersions.java check ROOT
 *       Fails (exit 1, one line per problem) unless
 *       - every exported API package (neither x-internal nor x-friends) has a package-info.java
 *         whose @Version is the version its bundle's Export-Package gives it,
 *       - a package-info.java of any exported package that states a version states that one,
 *       - every bundle importing one of our packages asks for a range holding the exported version,
 *       - a package is named *.internal* exactly when it is exported x-internal or x-friends (the
 *         API baseline in pom.xml leaves out packages by that name).
 *
 *   java releng/scripts/ApiVersions.java api-bundles ROOT
 *       Prints the symbolic names of the bundles that export API, one a line: the API baseline
 *       (releng/scripts/api-baseline.sh) is made of these. Test bundles and the test support
 *       bundle are not API.
 *
 *   java releng/scripts/ApiVersions.java api-modules ROOT
 *       Prints the directories (relative to ROOT) of the API bundles and of the bundles of ours
 *       they need (Import-Package, Require-Bundle), one a line: what the API baseline's build
 *       compiles.
 *
 * ROOT is a checkout of this repository (bundles/NAME/META-INF/MANIFEST.MF).
 */

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public class ApiVersions {

    /** Bundles that export packages only for our tests. */
    private static final Set<String> TEST_SUPPORT = Set.of("org.p2pchat.testing");

    /** Our packages: imports of these are checked against what we export. */
    private static final String OUR_PREFIX = "org.p2pchat.";

    private static final Pattern VERSION_ANNOTATION = Pattern.compile(
            "@(?:org\\.osgi\\.annotation\\.versioning\\.)?Version\\s*\\(\\s*(?:value\\s*=\\s*)?\"([^\"]*)\"\\s*\\)");

    record Clause(String name, Map<String, String> parameters) {
        String get(String key) {
            return parameters.get(key);
        }
    }

    record Bundle(Path dir, String symbolicName, List<Clause> exports, List<Clause> imports, List<Clause> requires,
            List<Path> sourceDirs) {
        Path manifest() {
            return dir.resolve("META-INF/MANIFEST.MF");
        }

        boolean isTest() {
            return symbolicName.endsWith(".tests") || TEST_SUPPORT.contains(symbolicName);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !Set.of("check", "api-bundles", "api-modules").contains(args[0])) {
            System.err.println("usage: java ApiVersions.java check|api-bundles|api-modules ROOT");
            System.exit(2);
        }
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        List<Bundle> bundles = readBundles(root);
        List<Bundle> apiBundles = bundles.stream()
                .filter(b -> !b.isTest() && b.exports().stream().anyMatch(ApiVersions::isApi))
                .toList();
        if (args[0].equals("api-bundles")) {
            apiBundles.forEach(b -> System.out.println(b.symbolicName()));
            return;
        }
        if (args[0].equals("api-modules")) {
            withRequirements(apiBundles, bundles).forEach(b -> System.out.println(root.relativize(b.dir())));
            return;
        }
        List<String> problems = check(root, bundles);
        problems.forEach(System.err::println);
        if (!problems.isEmpty()) {
            System.err.println(problems.size() + " package version problem(s); see releng/scripts/ApiVersions.java");
            System.exit(1);
        }
        System.out.println("Package versions: " + bundles.stream().mapToLong(b -> b.exports().size()).sum()
                + " exported packages agree with their package-info.java and their importers");
    }

    static List<String> check(Path root, List<Bundle> bundles) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> exported = new TreeMap<>();
        for (Bundle bundle : bundles) {
            String where = root.relativize(bundle.manifest()).toString();
            for (Clause export : bundle.exports()) {
                String version = export.get("version");
                if (version == null) {
                    problems.add(where + ": " + export.name() + " is exported without a version");
                    continue;
                }
                exported.put(export.name(), version);
                boolean namedInternal = (export.name() + ".").contains(".internal.");
                if (namedInternal == isApi(export)) {
                    problems.add(where + ": " + export.name() + (namedInternal
                            ? " is named internal but exported without x-internal:=true or x-friends"
                            : " is exported x-internal or x-friends but not named *.internal*"));
                }
                Path packageInfo = findPackageInfo(bundle, export.name());
                String stated = packageInfo == null ? null : statedVersion(packageInfo);
                if (stated == null) {
                    if (isApi(export)) {
                        problems.add(where + ": API package " + export.name() + " " + version + " has no "
                                + (packageInfo == null ? "package-info.java" : "@Version in " + root.relativize(packageInfo))
                                + " (add @org.osgi.annotation.versioning.Version(\"" + version + "\"))");
                    }
                } else if (compare(parse(stated), parse(version)) != 0) {
                    problems.add(where + ": " + export.name() + " is exported as " + version + " but "
                            + root.relativize(packageInfo) + " says " + stated);
                }
            }
        }
        for (Bundle bundle : bundles) {
            String where = root.relativize(bundle.manifest()).toString();
            for (Clause imported : bundle.imports()) {
                String version = exported.get(imported.name());
                if (!imported.name().startsWith(OUR_PREFIX) || version == null) {
                    continue;
                }
                String range = imported.get("version");
                if (range == null) {
                    problems.add(where + ": imports " + imported.name() + " without a version range (exported: "
                            + version + ")");
                } else if (!inRange(parse(version), range)) {
                    problems.add(where + ": imports " + imported.name() + " " + range
                            + ", which excludes the exported version " + version);
                }
            }
        }
        return problems;
    }

    /** The bundles and, transitively, the bundles of ours they import packages from or require. */
    static Set<Bundle> withRequirements(List<Bundle> roots, List<Bundle> all) {
        Map<String, Bundle> byName = new TreeMap<>();
        Map<String, Bundle> byPackage = new TreeMap<>();
        for (Bundle bundle : all) {
            byName.put(bundle.symbolicName(), bundle);
            bundle.exports().forEach(export -> byPackage.putIfAbsent(export.name(), bundle));
        }
        Set<Bundle> result = new LinkedHashSet<>();
        ArrayDeque<Bundle> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            Bundle bundle = pending.poll();
            if (!result.add(bundle)) {
                continue;
            }
            bundle.imports().stream().map(i -> byPackage.get(i.name())).filter(Objects::nonNull).forEach(pending::add);
            bundle.requires().stream().map(r -> byName.get(r.name())).filter(Objects::nonNull).forEach(pending::add);
        }
        return result;
    }

    static boolean isApi(Clause export) {
        return !"true".equals(export.get("x-internal")) && export.get("x-friends") == null;
    }

    static List<Bundle> readBundles(Path root) throws IOException {
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root.resolve("bundles"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path manifestFile = dir.resolve("META-INF/MANIFEST.MF");
                if (!Files.isRegularFile(manifestFile)) {
                    continue;
                }
                Manifest manifest;
                try (InputStream in = Files.newInputStream(manifestFile)) {
                    manifest = new Manifest(in);
                }
                var attributes = manifest.getMainAttributes();
                String symbolicName = parseHeader(attributes.getValue("Bundle-SymbolicName")).get(0).name();
                bundles.add(new Bundle(dir, symbolicName, parseHeader(attributes.getValue("Export-Package")),
                        parseHeader(attributes.getValue("Import-Package")),
                        parseHeader(attributes.getValue("Require-Bundle")), sourceDirs(dir)));
            }
        }
        return bundles;
    }

    /** The source folders of the bundle's jar ({@code source..} in build.properties). */
    static List<Path> sourceDirs(Path bundleDir) throws IOException {
        Path buildProperties = bundleDir.resolve("build.properties");
        String sources = "src/";
        if (Files.isRegularFile(buildProperties)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(buildProperties)) {
                properties.load(in);
            }
            sources = properties.getProperty("source..", sources);
        }
        return Stream.of(sources.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(bundleDir::resolve)
                .toList();
    }

    static Path findPackageInfo(Bundle bundle, String packageName) {
        for (Path sourceDir : bundle.sourceDirs()) {
            Path candidate = sourceDir.resolve(packageName.replace('.', '/')).resolve("package-info.java");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static String statedVersion(Path packageInfo) throws IOException {
        String source = Files.readString(packageInfo).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher matcher = VERSION_ANNOTATION.matcher(source);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** An OSGi header: clauses separated by commas, parameters by semicolons, quotes respected. */
    static List<Clause> parseHeader(String header) {
        List<Clause> clauses = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return clauses;
        }
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String part : parts.subList(1, parts.size())) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = part.substring(0, eq).trim();
                if (key.endsWith(":")) {
                    key = key.substring(0, key.length() - 1).trim();
                }
                String value = part.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                parameters.put(key, value);
            }
            clauses.add(new Clause(parts.get(0).trim(), parameters));
        }
        return clauses;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** major, minor, micro of an OSGi version (the qualifier does not matter here). */
    static int[] parse(String version) {
        String[] segments = version.trim().split("\\.");
        int[] parsed = new int[3];
        for (int i = 0; i < 3 && i < segments.length; i++) {
            parsed[i] = Integer.parseInt(segments[i]);
        }
        return parsed;
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /** Whether an OSGi version range ("[1.0,2.0)", or "1.0" meaning at least 1.0) holds the version. */
    static boolean inRange(int[] version, String range) {
        range = range.trim();
        if (!range.startsWith("[") && !range.startsWith("(")) {
            return compare(version, parse(range)) >= 0;
        }
        String[] bounds = range.substring(1, range.length() - 1).split(",");
        int low = compare(version, parse(bounds[0]));
        int high = compare(version, parse(bounds[1]));
        return (range.startsWith("[") ? low >= 0 : low > 0) && (range.endsWith("]") ? high <= 0 : high < 0);
    }
}
