package org.p2pchat.history.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Optional;

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
 */
@Component(service = HistoryService.class, immediate = true)
public final class H2HistoryService implements HistoryService {

    /** The vault's secret that is the history's key. */
    static final String SECRET = "history";
    static final int KEY_LENGTH = 32;

    private static final System.Logger LOG = System.getLogger(H2HistoryService.class.getName());

    private BundleContext context;
    private ProfileVault vault;
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
    synchronized void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        if (vault != null) {
            openProfileHistory();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        closeProfileHistory();
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void setVault(ProfileVault vault) {
        closeProfileHistory();
        this.vault = vault;
        if (context != null) {
            openProfileHistory();
        }
    }

    synchronized void unsetVault(ProfileVault gone) {
        if (vault == gone) {
            closeProfileHistory();
            vault = null;
        }
    }

    private void openProfileHistory() {
        Path directory = vault.directory();
        try {
            byte[] key = vault.secret(SECRET, KEY_LENGTH);
            MessageHistory history = open(directory, Optional.of(key));
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("profile.directory", directory.toString());
            profileHistory = history;
            problem = null;
            registration = context.registerService(MessageHistory.class, history, properties);
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
