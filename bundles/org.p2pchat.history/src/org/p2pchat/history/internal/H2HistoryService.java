package org.p2pchat.history.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.p2pchat.core.profile.ProfileVault;
import org.p2pchat.history.HistoryException;
import org.p2pchat.history.HistoryService;
import org.p2pchat.history.MessageHistory;

/**
 * Opens histories in H2, and keeps the running profile's open: once the profile's
 * {@link ProfileVault} is registered (the profile is unlocked) it opens the history in the profile
 * directory, always encrypted with the vault's {@code history} secret (which the vault protects with
 * the passphrase when there is one), and registers it as the {@link MessageHistory} service; when
 * the vault goes, or this component, it unregisters and closes it. If it cannot be opened, nothing
 * is registered and {@link #problem()} says why.
 * <p>
 * The history opens on a thread of its own: the component is activated while the framework starts
 * its bundles, and opening the database (and loading H2) would hold up the start of the whole
 * program; the client layer, which needs the {@link MessageHistory}, comes up once it is
 * registered. A history is closed before the call that ends it returns.
 */
@Component(service = HistoryService.class, immediate = true)
public final class H2HistoryService implements HistoryService {

    /** The vault's secret that is the history's key. */
    static final String SECRET = "history";
    static final int KEY_LENGTH = 32;

    private static final System.Logger LOG = System.getLogger(H2HistoryService.class.getName());

    /** Guards {@link #context}, {@link #vault} and {@link #worker}; never held while waiting for the worker. */
    private final Object lock = new Object();
    private BundleContext context;
    private ProfileVault vault;
    /** Opens and closes the profile's history, one step after the other; null while not active. */
    private ExecutorService worker;
    // Worker thread only:
    private MessageHistory profileHistory;
    private ServiceRegistration<MessageHistory> registration;
    private volatile String problem;

    @Override
    public MessageHistory open(Path profileDirectory, Optional<byte[]> key) throws HistoryException {
        return H2Histories.open(profileDirectory, key);
    }

    @Override
    public MessageHistory openInMemory() {
        return H2Histories.openInMemory();
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Activate
    void activate(BundleContext bundleContext) {
        synchronized (lock) {
            context = bundleContext;
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "p2pchat-history");
                thread.setDaemon(true);
                return thread;
            });
            if (vault != null) {
                ProfileVault opened = vault;
                worker.execute(() -> openProfileHistory(bundleContext, opened));
            }
        }
    }

    @Deactivate
    void deactivate() {
        ExecutorService stopped;
        synchronized (lock) {
            stopped = worker;
            worker = null;
            context = null;
        }
        if (stopped != null) {
            await(stopped.submit(this::closeProfileHistory));
            stopped.shutdown();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setVault(ProfileVault vault) {
        Future<?> closed = null;
        synchronized (lock) {
            this.vault = vault;
            if (worker != null) {
                BundleContext bundleContext = context;
                closed = worker.submit(this::closeProfileHistory);
                worker.execute(() -> openProfileHistory(bundleContext, vault));
            }
        }
        await(closed);
    }

    void unsetVault(ProfileVault gone) {
        Future<?> closed = null;
        synchronized (lock) {
            if (vault != gone) {
                return;
            }
            vault = null;
            if (worker != null) {
                closed = worker.submit(this::closeProfileHistory);
            }
        }
        await(closed);
    }

    /** Waits for a step of the worker; the history it closes is closed when this returns. */
    private static void await(Future<?> step) {
        if (step == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                step.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                LOG.log(System.Logger.Level.ERROR, "The history could not be closed", e.getCause());
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void openProfileHistory(BundleContext bundleContext, ProfileVault unlocked) {
        Path directory = unlocked.directory();
        try {
            byte[] key = unlocked.secret(SECRET, KEY_LENGTH);
            MessageHistory history = open(directory, Optional.of(key));
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("profile.directory", directory.toString());
            profileHistory = history;
            problem = null;
            registration = bundleContext.registerService(MessageHistory.class, history, properties);
            LOG.log(System.Logger.Level.DEBUG, "Opened " + history);
        } catch (HistoryException e) {
            fail(e.getMessage(), e);
        } catch (IOException e) {
            fail("The history in " + directory + " could not be opened: its key could not be read from the profile ("
                    + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            fail("The history in " + directory + " could not be opened: " + e.getMessage(), e);
        }
    }

    private void fail(String message, Exception cause) {
        problem = message;
        LOG.log(System.Logger.Level.ERROR, message, cause);
    }

    private void closeProfileHistory() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it when the bundle stopped
            }
            registration = null;
        }
        if (profileHistory != null) {
            profileHistory.close();
            profileHistory = null;
        }
        problem = null;
    }
}
