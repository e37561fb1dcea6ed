package org.p2pchat.install.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Starts p2's dropins reconciler when there is something for it to do: when the dropins folder
 * holds something, or held something at an earlier start with this configuration (what was taken
 * out is uninstalled then). The product does not start the reconciler itself: on a configuration
 * it has not seen (every new profile, every new build) it loads p2's engine, planner and the
 * installation's profile to compare them with an empty folder, about a fifth of a first start.
 */
@Component(immediate = true)
public class DropinsReconcilerStart {

    static final String RECONCILER = "org.eclipse.equinox.p2.reconciler.dropins";
    /** The reconciler's own property for another dropins folder than the installation's. */
    static final String DIRECTORY_PROPERTY = "org.eclipse.equinox.p2.reconciler.dropins.directory";
    /** In the configuration area (which Equinox's -clean keeps): dropins/ held something at the last start. */
    static final String MARKER = "org.p2pchat.install/dropins-in-use";

    private static final System.Logger LOG = System.getLogger(DropinsReconcilerStart.class.getName());

    @Activate
    void activate(BundleContext context) {
        Path dropins;
        Path marker;
        try {
            dropins = dropinsFolder(context);
            marker = EquinoxAreas.folder("osgi.configuration.area",
                    context.getProperty("osgi.configuration.area")).resolve(MARKER);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "the dropins folder is not read: " + e.getMessage());
            return;
        }
        boolean holdsSomething = holdsSomething(dropins);
        if (!holdsSomething && !Files.exists(marker)) {
            return;
        }
        if (!start(context)) {
            return;
        }
        try {
            if (holdsSomething) {
                Files.createDirectories(marker.getParent());
                Files.writeString(marker, dropins.toString());
            } else {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record whether " + dropins + " is in use", e);
        }
    }

    /** Starts the reconciler for this run only; it reconciles in its activator. */
    private static boolean start(BundleContext context) {
        for (Bundle bundle : context.getBundles()) {
            if (RECONCILER.equals(bundle.getSymbolicName())) {
                try {
                    bundle.start(Bundle.START_TRANSIENT);
                    return true;
                } catch (BundleException | RuntimeException e) {
                    LOG.log(Level.WARNING, "the dropins folder is not read: " + RECONCILER + " did not start", e);
                    return false;
                }
            }
        }
        LOG.log(Level.WARNING, "the dropins folder is not read: " + RECONCILER + " is not installed");
        return false;
    }

    static Path dropinsFolder(BundleContext context) {
        String configured = context.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return EquinoxAreas.folder("osgi.install.area", context.getProperty("osgi.install.area")).resolve("dropins");
    }

    static boolean holdsSomething(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true; // unreadable: let the reconciler say what is wrong with it
        }
    }
}
