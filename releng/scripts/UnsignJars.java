import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites jars without their signature files (META-INF/*.SF and the signature blocks), so that
 * the JVM treats them as unsigned. The JVM keeps no class of a signed jar in its ahead-of-time
 * cache, and the launcher and the framework jar are the two the JVM loads from itself: unsigned,
 * Equinox's ~500 classes come from the cache like every bundle's. Equinox does not check bundle
 * signatures here, and the update site keeps the signed originals.
 *
 *   java releng/scripts/UnsignJars.java JAR...
 */
public class UnsignJars {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)", Pattern.CASE_INSENSITIVE);

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            Path jar = Path.of(arg);
            Path unsigned = jar.resolveSibling(jar.getFileName() + ".unsigned");
            int dropped = 0;
            try (InputStream file = Files.newInputStream(jar); ZipInputStream in = new ZipInputStream(file);
                    OutputStream target = Files.newOutputStream(unsigned); ZipOutputStream out = new ZipOutputStream(target)) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (SIGNATURE.matcher(entry.getName()).matches()) {
                        dropped++;
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            Files.move(unsigned, jar, StandardCopyOption.REPLACE_EXISTING);
            System.out.println(jar.getFileName() + ": " + (dropped == 0 ? "was not signed" : dropped + " signature files removed"));
        }
    }
}
